package io.squall.core.broker;

import io.squall.core.error.ErrorName;
import io.squall.core.loop.LoopOverloadedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The error name a client sees for a broker call that failed: one mapping for every service. */
public final class BrokerFailures {
    private static final Logger log = LoggerFactory.getLogger(BrokerFailures.class);

    private BrokerFailures() {}

    /** {@code Unavailable} (engine unreachable), {@code Overloaded}, or {@code Internal error}, logged as a bug. */
    public static ErrorName errorName(String service, Throwable failure) {
        if (failure instanceof BrokerUnavailableException) {
            return ErrorName.UNAVAILABLE;
        }
        if (failure instanceof LoopOverloadedException) {
            return ErrorName.OVERLOADED;
        }
        log.error("{}: the broker failed", service, failure);
        return ErrorName.INTERNAL_ERROR;
    }
}
