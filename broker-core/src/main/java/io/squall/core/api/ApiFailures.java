package io.squall.core.api;

import io.squall.api.ServiceError;
import io.squall.core.broker.BrokerUnavailableException;
import io.squall.core.loop.LoopOverloadedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An engine failure as the API names it: what a service may pass on to its caller. */
final class ApiFailures {
    private static final Logger log = LoggerFactory.getLogger(ApiFailures.class);

    private ApiFailures() {}

    /** Null for no failure; an unexpected one is logged (with {@code what}) and is {@code Internal error}. */
    static ServiceError of(Throwable failure, String what) {
        if (failure == null) {
            return null;
        }
        if (failure instanceof BrokerUnavailableException) {
            return ServiceError.UNAVAILABLE;
        }
        if (failure instanceof LoopOverloadedException) {
            return ServiceError.OVERLOADED;
        }
        log.error("{} failed", what, failure);
        return ServiceError.INTERNAL_ERROR;
    }
}
