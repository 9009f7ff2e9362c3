package io.squall.core.error;

/**
 * Every WebSocket close code Squall sends (RFC 6455 codes plus Squall's own 4xxx range), each defined once with the
 * close frame's reason text and when it is sent. {@code when} is the text of docs/protocol.md's "Close codes"
 * table, which a test holds equal to this enum. A code nothing sends has no place here.
 */
public enum CloseCode {
    /**
     * Never sent on the server's own initiative: a peer's close frame is answered with the peer's own code (RFC 6455
     * §5.5.1), and this is the one a client normally closes with.
     */
    NORMAL(1000, "Normal closure", "Normal closure; sent only in answer to a peer's close frame that carried it."),
    GOING_AWAY(1001, "Server shutting down", "The server is shutting down (graceful stop, SIGTERM). Reconnect later"
            + " or elsewhere."),
    /** The close frame's reason says which rule was broken. */
    PROTOCOL_ERROR(1002, "Protocol error", "A frame broke RFC 6455: unmasked, reserved bits set, unknown opcode, a"
            + " control frame over 125 bytes or fragmented, a continuation without a message or a new message inside"
            + " a fragmented one, an invalid close code."),
    INVALID_PAYLOAD(1007, "Invalid UTF-8", "A text message (or a close reason) that is not valid UTF-8."),
    MESSAGE_TOO_BIG(1009, "Message too big", "A message (all its fragments together) was larger than"
            + " `max.frame.bytes`."),
    SLOW_CONSUMER(4001, "Slow consumer", "Slow consumer: what waits to be sent to the connection (replies,"
            + " notifications, pongs) passed `max.queued.bytes`: it was not reading. Pongs a newer ping replaced"
            + " before the connection read anything count too, so a peer that floods pings without reading is closed"
            + " with 4001 as well."),
    PONG_TIMEOUT(4002, "Pong timeout", "Pong timeout: a ping went unanswered for `pong.timeout`."),
    DISCONNECTED_BY_BACKEND(4003, "Disconnected by backend", "Disconnected by a backend (`auth_backend`"
            + " `disconnect`)."),
    IDENTITY_EXPIRED(4006, "Identity expired", "Identity expired: the identity's expiry (a connect proxy's"
            + " `expiresAt`, or with a refresh proxy a token's `exp`) came and the refresh proxy did not extend it"
            + " (refused, or no answer after one retry), or a connect proxy's `expiresAt` came and there is no refresh"
            + " proxy (docs/hooks-proxies.md).");

    private final int code;
    private final String text;
    private final String when;

    CloseCode(int code, String text, String when) {
        this.code = code;
        this.text = text;
        this.when = when;
    }

    public int code() {
        return code;
    }

    /** The close frame's reason text (short: it must fit in 123 bytes). */
    public String text() {
        return text;
    }

    /** When it is sent: the row of docs/protocol.md's "Close codes" table. */
    public String when() {
        return when;
    }
}
