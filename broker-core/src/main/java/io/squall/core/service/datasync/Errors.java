package io.squall.core.service.datasync;

/** DataSync's error names: Snorky's exact strings, then the names Squall adds where Snorky crashed or had no limit. */
final class Errors {
    static final String TOKEN_MUST_BE_STRING = "token must be string";
    static final String NO_SUCH_SUBSCRIPTION = "No such subscription";
    static final String DEALER_NOT_A_NAME = "dealer should be a dealer name";
    static final String NO_SUCH_DEALER = "No such dealer";
    static final String MODEL_MUST_BE_STRING = "model must be string";
    static final String INVALID_DELTA_TYPE = "Invalid delta type";
    /** publishDeltas' missing key; authorizeSubscription names it: {@link #missingField}. */
    static final String MISSING_FIELD = "Missing field";

    /** Squall: a second acquire of a token (Snorky: "Internal error"). */
    static final String ALREADY_ACQUIRED = "Already acquired";
    /** Squall: a query its dealer cannot use, e.g. a filter that is not a list (Snorky: "Internal error" and a leak). */
    static final String INVALID_QUERY = "Invalid query";
    /** Squall: a delta for a model no dealer handles (Snorky: "Internal error" after partial delivery). */
    static final String NO_SUCH_MODEL = "No such model";
    /** Squall: more deltas arrived before the acquire than the buffer holds; fetch the data again. */
    static final String TOO_MANY_DELTAS = "Too many deltas";
    /** Squall: the per-connection cap on acquired subscriptions was reached. */
    static final String TOO_MANY_SUBSCRIPTIONS = "Too many subscriptions";
    /** Squall: the cap on subscriptions authorized but not yet acquired was reached. */
    static final String TOO_MANY_PENDING = "Too many pending subscriptions";

    /** Snorky's authorizeSubscription wording: {@code Missing field 'dealer'}. */
    static String missingField(String field) {
        return MISSING_FIELD + " '" + field + "'";
    }

    private Errors() {}
}
