package io.squall.core.rpc;

import io.squall.core.protocol.StandardError;

/** Thrown by a command to answer with a named error (Snorky's {@code RPCError}). */
public class RpcException extends RuntimeException {
    private final String errorName;

    public RpcException(String errorName) {
        super(errorName, null, false, false); // control flow, not a bug: no stack trace
        this.errorName = errorName;
    }

    /** Answers with one of the generic names (e.g. {@link StandardError#NOT_AUTHENTICATED}). */
    public RpcException(StandardError error) {
        this(error.wireName());
    }

    /** The exact string sent as the error reply's {@code message}. */
    public String errorName() {
        return errorName;
    }
}
