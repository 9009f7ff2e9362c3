package io.squall.server.security;

/**
 * Why a handshake was refused with 401: the reason is the metric tag (a bounded set) and the text is the response
 * body. The token itself is never logged or echoed.
 */
public enum Refusal {
    MISSING("missing", "Missing token"),
    AMBIGUOUS("ambiguous", "Token given more than once"),
    BAD_SCHEME("bad_scheme", "Authorization header is not a Bearer token"),
    MALFORMED("malformed", "Malformed token"),
    ALGORITHM("algorithm", "Token algorithm not accepted"),
    UNKNOWN_KEY("unknown_key", "No key for this token"),
    BAD_SIGNATURE("bad_signature", "Invalid token signature"),
    NO_EXPIRY("no_expiry", "Token has no expiry"),
    EXPIRED("expired", "Token expired"),
    NOT_YET_VALID("not_yet_valid", "Token not yet valid"),
    ISSUER("issuer", "Wrong token issuer"),
    AUDIENCE("audience", "Wrong token audience"),
    NO_IDENTITY("no_identity", "Token has no identity");

    private final String tag;
    private final String text;

    Refusal(String tag, String text) {
        this.tag = tag;
        this.text = text;
    }

    /** The {@code reason} tag of {@code broker.auth.refused}. */
    public String tag() {
        return tag;
    }

    /** The 401 body. */
    public String text() {
        return text;
    }
}
