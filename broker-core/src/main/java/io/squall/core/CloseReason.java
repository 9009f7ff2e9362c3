package io.squall.core;

/** Every WebSocket close code Squall sends, in one place (RFC 6455 codes plus Squall's own 4xxx range). */
public enum CloseReason {
    /** The peer or the server closed normally. */
    NORMAL(1000, "Normal closure"),
    /** The server is shutting down; reconnect to another node or later. */
    GOING_AWAY(1001, "Server shutting down"),
    /** A frame that breaks RFC 6455 (unmasked, reserved bits, bad fragmentation, ...); the close says which rule. */
    PROTOCOL_ERROR(1002, "Protocol error"),
    /** A frame type the protocol does not use (binary frames: Snorky's protocol is text only). */
    UNSUPPORTED_DATA(1003, "Text frames only"),
    /** A text message or close reason that is not valid UTF-8. */
    INVALID_PAYLOAD(1007, "Invalid UTF-8"),
    /** The connection broke a policy, e.g. an origin that is not allowed. */
    POLICY_VIOLATION(1008, "Policy violation"),
    /** A frame larger than the configured maximum. */
    MESSAGE_TOO_BIG(1009, "Message too big"),
    /** An unexpected server error. */
    INTERNAL_ERROR(1011, "Internal error"),
    /** The server is overloaded and refused work for this connection. */
    TRY_AGAIN_LATER(1013, "Overloaded"),
    /** The client did not read fast enough and its outbound queue passed the limit. */
    SLOW_CONSUMER(4001, "Slow consumer"),
    /** The client did not answer a ping within the pong timeout. */
    PONG_TIMEOUT(4002, "Pong timeout"),
    /** A trusted backend asked to disconnect this client. */
    DISCONNECTED_BY_BACKEND(4003, "Disconnected by backend");

    private final int code;
    private final String text;

    CloseReason(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** The close frame's reason text (short: it must fit in 123 bytes). */
    public String text() {
        return text;
    }
}
