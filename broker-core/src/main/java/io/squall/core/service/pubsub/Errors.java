package io.squall.core.service.pubsub;

/** PubSub's error names, exactly as Snorky sends them (plus Squall's limit). */
final class Errors {
    static final String ALREADY_SUBSCRIBED = "Already subscribed";
    static final String NOT_SUBSCRIBED = "Not subscribed";
    static final String NOT_AUTHORIZED = "Not authorized";
    /** Squall: the per-connection subscription cap was reached (Snorky had no cap). */
    static final String TOO_MANY_SUBSCRIPTIONS = "Too many subscriptions";

    private Errors() {}
}
