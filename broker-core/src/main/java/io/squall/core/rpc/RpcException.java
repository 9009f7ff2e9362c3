package io.squall.core.rpc;

/** Thrown by a command to answer with a named error (Snorky's {@code RPCError}). */
public class RpcException extends RuntimeException {
    private final String errorName;

    public RpcException(String errorName) {
        super(errorName, null, false, false); // control flow, not a bug: no stack trace
        this.errorName = errorName;
    }

    /** The exact string sent as the error reply's {@code message}. */
    public String errorName() {
        return errorName;
    }
}
