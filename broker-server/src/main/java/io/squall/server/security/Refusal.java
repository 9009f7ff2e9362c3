package io.squall.server.security;

import io.squall.core.error.HttpRefusal;

/**
 * Why a handshake was refused with 401: the reason is the metric tag (a bounded set) and the catalogue's refusal
 * gives the response body. The token itself is never logged or echoed.
 */
public enum Refusal {
    MISSING("missing", HttpRefusal.MISSING_TOKEN),
    AMBIGUOUS("ambiguous", HttpRefusal.TOKEN_AMBIGUOUS),
    BAD_SCHEME("bad_scheme", HttpRefusal.TOKEN_BAD_SCHEME),
    MALFORMED("malformed", HttpRefusal.TOKEN_MALFORMED),
    ALGORITHM("algorithm", HttpRefusal.TOKEN_ALGORITHM),
    UNKNOWN_KEY("unknown_key", HttpRefusal.TOKEN_UNKNOWN_KEY),
    BAD_SIGNATURE("bad_signature", HttpRefusal.TOKEN_BAD_SIGNATURE),
    NO_EXPIRY("no_expiry", HttpRefusal.TOKEN_NO_EXPIRY),
    EXPIRED("expired", HttpRefusal.TOKEN_EXPIRED),
    NOT_YET_VALID("not_yet_valid", HttpRefusal.TOKEN_NOT_YET_VALID),
    ISSUER("issuer", HttpRefusal.TOKEN_ISSUER),
    AUDIENCE("audience", HttpRefusal.TOKEN_AUDIENCE),
    NO_IDENTITY("no_identity", HttpRefusal.TOKEN_NO_IDENTITY);

    private final String tag;
    private final HttpRefusal http;

    Refusal(String tag, HttpRefusal http) {
        this.tag = tag;
        this.http = http;
    }

    /** The {@code reason} tag of {@code broker.auth.refused}. */
    public String tag() {
        return tag;
    }

    /** The 401 and its body. */
    public HttpRefusal http() {
        return http;
    }
}
