package io.squall.core.broker;

/** The engine cannot be reached (Redis down or failing over); the call did nothing and may be retried. */
public final class BrokerUnavailableException extends RuntimeException {
    public BrokerUnavailableException(String message) {
        super(message);
    }

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
