package io.squall.core.service.cursors;

/**
 * Cursors' error names, exactly as Snorky sends them (plus Squall's limit). "Not authenticated" is shared:
 * {@link io.squall.core.Identity#require} answers it.
 */
final class Errors {
    static final String ALREADY_JOINED = "Already joined";
    static final String NOT_JOINED = "Not joined";
    static final String REUSED_HANDLE = "Reused handle";
    /** 16 cursors per connection, as in Snorky; also when a document has no free public handle left. */
    static final String TOO_MANY_CURSORS = "Too many cursors";
    static final String NO_SUCH_CURSOR = "No such cursor";
    /** Squall: the per-connection cap on joined documents was reached (Snorky had no cap). */
    static final String TOO_MANY_DOCUMENTS = "Too many documents";

    private Errors() {}
}
