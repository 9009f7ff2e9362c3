package io.squall.core.error;

/**
 * Every plain-text HTTP refusal of either port, each defined once with its status, its body and when it is sent.
 * {@code when} is the text of docs/protocol.md's "HTTP refusals" table, which a test holds equal to this enum. The
 * bodies of Snorky's backend (the key checks) keep Snorky's wording.
 */
public enum HttpRefusal {
    // every path
    NOT_FOUND(404, "Not found", "Either port: a path it does not serve."),

    // public WebSocket handshake, in the order it is checked
    TOO_MANY_CONNECTIONS(503, "Too many connections", "Public handshake past `max.connections` open WebSockets,"
            + " before the origin and token checks."),
    ORIGIN_MISSING(403, "Missing Origin header", "Public handshake without an `Origin` when"
            + " `allow.missing.origin=false`."),
    ORIGIN_MALFORMED(403, "Malformed Origin header", "Public handshake whose `Origin` is not `scheme://host[:port]`."),
    ORIGIN_NOT_ALLOWED(403, "Origin not allowed", "Public handshake with an `Origin` that is neither the broker's"
            + " own (`public.url`) nor in `allowed.origins`."),
    MISSING_TOKEN(401, "Missing token", Token.WHEN),
    TOKEN_AMBIGUOUS(401, "Token given more than once", Token.WHEN),
    TOKEN_BAD_SCHEME(401, "Authorization header is not a Bearer token", "Public handshake (see the row above), or"
            + " `/metrics` with `metrics.key` set, whose `Authorization` header is not a Bearer token."),
    TOKEN_MALFORMED(401, "Malformed token", Token.WHEN),
    TOKEN_ALGORITHM(401, "Token algorithm not accepted", Token.WHEN),
    TOKEN_UNKNOWN_KEY(401, "No key for this token", Token.WHEN),
    TOKEN_BAD_SIGNATURE(401, "Invalid token signature", Token.WHEN),
    TOKEN_NO_EXPIRY(401, "Token has no expiry", Token.WHEN),
    TOKEN_EXPIRED(401, "Token expired", Token.WHEN),
    TOKEN_NOT_YET_VALID(401, "Token not yet valid", Token.WHEN),
    TOKEN_ISSUER(401, "Wrong token issuer", Token.WHEN),
    TOKEN_AUDIENCE(401, "Wrong token audience", Token.WHEN),
    TOKEN_NO_IDENTITY(401, "Token has no identity", Token.WHEN),
    NOT_AN_UPGRADE(400, "Expected a WebSocket upgrade", "A request to a WebSocket path that is not a GET with"
            + " `Upgrade: websocket` and `Connection: Upgrade`."),
    UNSUPPORTED_VERSION(426, "Unsupported WebSocket version; this server speaks 13", "A handshake with another"
            + " `Sec-WebSocket-Version` (answered with `Sec-WebSocket-Version: 13`)."),
    BAD_WEBSOCKET_KEY(400, "Missing or malformed Sec-WebSocket-Key", "A handshake whose `Sec-WebSocket-Key` is"
            + " missing or not 16 bytes in base64."),

    // private port: the backend
    MISSING_KEY(401, "Missing X-Backend-Key header", "Backend HTTP or backend WebSocket handshake without the key."),
    INVALID_KEY(401, "Invalid API key", "Backend HTTP or backend WebSocket handshake with a wrong key (compared in"
            + " constant time)."),
    METRICS_KEY_MISSING(401, "Missing metrics key", "`/metrics` with `metrics.key` set and no `Authorization`"
            + " header."),
    METRICS_KEY_INVALID(401, "Invalid metrics key", "`/metrics` with a wrong `metrics.key` (compared in constant"
            + " time)."),
    USE_POST(405, "Use POST", "Backend HTTP: a method other than POST."),
    BODY_TOO_LARGE(413, "Body larger than {N} bytes", "Backend HTTP: a body over `backend.max.body.bytes` (the"
            + " limit, N, is in the body)."),
    INVALID_JSON_BODY(400, "Invalid JSON", "Backend HTTP: the body is not JSON."),
    EMPTY_BATCH(400, "Empty batch", "Backend HTTP: the body is `[]`.");

    private final int status;
    private final String body;
    private final String when;

    HttpRefusal(int status, String body, String when) {
        this.status = status;
        this.body = body;
        this.when = when;
    }

    public int status() {
        return status;
    }

    /** The plain-text body ({@link #BODY_TOO_LARGE}'s names its limit: {@link #body(long)}). */
    public String body() {
        return body;
    }

    /** The body with {@code {N}} replaced by {@code n}. */
    public String body(long n) {
        return body.replace("{N}", Long.toString(n));
    }

    /** When it is sent: the row of docs/protocol.md's "HTTP refusals" table. */
    public String when() {
        return when;
    }

    /** The token refusals share one row; docs/security.md's table says which check gives which body. */
    private static final class Token {
        static final String WHEN = "Public handshake with a bad, expired or missing-when-required token (the"
                + " checks and their order: [security.md](security.md#what-is-checked-and-what-a-refusal-looks-like));"
                + " with a `WWW-Authenticate: Bearer` header.";
    }
}
