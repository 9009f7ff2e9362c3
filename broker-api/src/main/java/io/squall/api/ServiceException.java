package io.squall.api;

/** Thrown by a command to answer with a named error (Snorky's {@code RPCError}). */
public class ServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ServiceError error;

    public ServiceException(ServiceError error) {
        super(error.wireName(), null, false, false); // control flow, not a bug: no stack trace
        this.error = error;
    }

    /** The error the reply names. */
    public ServiceError error() {
        return error;
    }
}
