package io.squall.core.service.chat;

/**
 * Chat's error names, exactly as Snorky sends them (plus Squall's limit). "Not authenticated" is shared:
 * {@link io.squall.core.Identity#require} answers it.
 */
final class Errors {
    static final String ALREADY_JOINED = "Already joined";
    static final String NOT_JOINED = "Not joined";
    /** Squall: the per-connection cap on joined channels was reached (Snorky had no cap). */
    static final String TOO_MANY_CHANNELS = "Too many channels";

    private Errors() {}
}
