package io.squall.core.rpc;

import io.squall.core.error.ErrorName;

/** Thrown by a command to answer with a named error (Snorky's {@code RPCError}). */
public class RpcException extends RuntimeException {
    private final ErrorName error;

    /** Answers with {@code error}: every name comes from the catalogue, so none is sent that is not documented. */
    public RpcException(ErrorName error) {
        super(error.wireName(), null, false, false); // control flow, not a bug: no stack trace
        this.error = error;
    }

    /** The error the reply names. */
    public ErrorName error() {
        return error;
    }
}
