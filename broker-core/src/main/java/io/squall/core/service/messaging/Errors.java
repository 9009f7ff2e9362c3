package io.squall.core.service.messaging;

/** Messaging's error names, exactly as Snorky sends them (plus Squall's limit). */
final class Errors {
    static final String NAME_ALREADY_REGISTERED = "Name already registered";
    static final String NAME_NOT_ALLOWED = "Name not allowed";
    static final String UNKNOWN_PARTICIPANT = "Unknown participant";
    static final String INVALID_PARTICIPANT = "Invalid participant";
    static final String INVALID_SENDER = "Invalid sender";
    static final String UNKNOWN_DESTINATION = "Unknown destination";
    /** Squall: the per-connection cap on registered names was reached (Snorky had no cap). */
    static final String TOO_MANY_NAMES = "Too many names";

    private Errors() {}
}
