package io.squall.core.api;

import io.squall.api.ServiceError;
import io.squall.core.broker.BrokerFailures;

/** An engine failure as the API names it: the broker's own mapping ({@link BrokerFailures}) in the API's terms. */
final class ApiFailures {
    private ApiFailures() {}

    /** Null for no failure; an unexpected one is logged (with {@code what}) and is {@code Internal error}. */
    static ServiceError of(Throwable failure, String what) {
        return failure == null ? null : ErrorNames.toApi(BrokerFailures.errorName(what, failure));
    }
}
