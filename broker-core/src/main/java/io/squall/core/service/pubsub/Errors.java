package io.squall.core.service.pubsub;

/** PubSub's error names, exactly as Snorky sends them (plus Squall's own). */
final class Errors {
    static final String ALREADY_SUBSCRIBED = "Already subscribed";
    static final String NOT_SUBSCRIBED = "Not subscribed";
    static final String NOT_AUTHORIZED = "Not authorized";
    /** Squall: the per-connection subscription cap was reached (Snorky had no cap). */
    static final String TOO_MANY_SUBSCRIPTIONS = "Too many subscriptions";
    /** Squall: positions, recovery or {@code history} asked of a channel that keeps no history. */
    static final String HISTORY_NOT_ENABLED = "History not enabled";
    /** Squall: {@code presence} asked of a channel that keeps no presence. */
    static final String PRESENCE_NOT_ENABLED = "Presence not enabled";
    /** Squall: {@code history} since a position of another epoch (that history is gone). */
    static final String UNRECOVERABLE_POSITION = "Unrecoverable position";

    private Errors() {}
}
