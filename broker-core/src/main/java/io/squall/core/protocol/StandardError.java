package io.squall.core.protocol;

/**
 * The generic error names sent in {@code {"type":"error","message":name}} replies. Service-specific names
 * ("Already subscribed", ...) live in each service's own {@code Errors} class.
 */
public enum StandardError {
    /** The frame is not valid JSON (or breaks the JSON read limits). Snorky dropped these silently. */
    INVALID_JSON("Invalid JSON"),
    /** The frame is JSON but not {@code {"service": string, "message": any}}. */
    INVALID_ENVELOPE("Invalid envelope"),
    /** No service of that name in this registry. Snorky dropped these silently. */
    UNKNOWN_SERVICE("Unknown service"),
    /**
     * An RPC message that is not {@code {"command": string, "params": object, "callId": any}}, or whose
     * {@code callId} is larger than {@code max.key.bytes}.
     */
    INVALID_MESSAGE("Invalid message"),
    /** The command is not one the service declares. */
    UNKNOWN_COMMAND("Unknown command"),
    /**
     * The params do not bind: a missing, extra or mistyped key, or params that are not an object; or a key (a
     * channel, a name, a document...) larger than {@code max.key.bytes}.
     */
    INVALID_PARAMS("Invalid params"),
    /** A bug on the server side; it is logged once with the client's description. */
    INTERNAL_ERROR("Internal error"),
    /** The event loop's queue is full; the request was not run. Retry later. */
    OVERLOADED("Overloaded"),
    /**
     * The engine behind the broker (Redis) cannot be reached; nothing was done and the call may be retried. Never a
     * silent drop: a publish answered this was not published.
     */
    UNAVAILABLE("Unavailable"),
    /** A backend request got no reply before the configured deadline. */
    TIMEOUT("Timeout"),
    /**
     * The command needs an identity and the connection is anonymous (Snorky's Chat answered exactly this). Services
     * get it from {@link io.squall.core.Identity#require}.
     */
    NOT_AUTHENTICATED("Not authenticated"),
    /**
     * The keys this connection already holds over every service (channels, names, documents, cursors), plus the
     * one asked for, would pass {@code max.connection.state.bytes}; nothing was done. Leaving something frees room.
     */
    TOO_MUCH_STATE("Too much state");

    private final String wireName;

    StandardError(String wireName) {
        this.wireName = wireName;
    }

    /** The exact string on the wire. */
    public String wireName() {
        return wireName;
    }
}
