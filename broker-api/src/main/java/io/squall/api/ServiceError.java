package io.squall.api;

/**
 * The error names a service may answer with: the broker's own vocabulary (docs/protocol.md, "Error names"), so a
 * client never meets a name that is not documented. Each constant has the broker's exact wire string.
 */
public enum ServiceError {
    INVALID_PARAMS("Invalid params"),
    NOT_AUTHENTICATED("Not authenticated"),
    NOT_AUTHORIZED("Not authorized"),
    TOO_MUCH_STATE("Too much state"),
    OVERLOADED("Overloaded"),
    UNAVAILABLE("Unavailable"),
    TIMEOUT("Timeout"),
    INTERNAL_ERROR("Internal error"),
    ALREADY_SUBSCRIBED("Already subscribed"),
    NOT_SUBSCRIBED("Not subscribed"),
    ALREADY_JOINED("Already joined"),
    NOT_JOINED("Not joined"),
    TOO_MANY_SUBSCRIPTIONS("Too many subscriptions"),
    TOO_MANY_CHANNELS("Too many channels"),
    UNKNOWN_COMMAND("Unknown command"),
    HISTORY_NOT_ENABLED("History not enabled"),
    PRESENCE_NOT_ENABLED("Presence not enabled"),
    // Messaging's (docs/protocol.md)
    NAME_ALREADY_REGISTERED("Name already registered"),
    NAME_NOT_ALLOWED("Name not allowed"),
    TOO_MANY_NAMES("Too many names"),
    UNKNOWN_PARTICIPANT("Unknown participant"),
    INVALID_PARTICIPANT("Invalid participant"),
    INVALID_SENDER("Invalid sender"),
    UNKNOWN_DESTINATION("Unknown destination"),
    // the SNAP bridge's (docs/snap.md)
    INVALID_ADDRESS("Invalid address"),
    INVALID_GROUP("Invalid group"),
    INVALID_TTL("Invalid TTL"),
    INVALID_FUNCTION("Invalid function name"),
    INT_OUT_OF_RANGE("Int out of range"),
    STRING_TOO_LONG("Max string length is 255"),
    UNSUPPORTED_TYPE("Unsupported DataType"),
    PAYLOAD_TOO_LARGE("Payload too large"),
    LINK_DOWN("Link down"),
    SEND_QUEUE_FULL("Send queue full"),
    NOT_SENT("Not sent"),
    NO_BRIDGE("No bridge");

    private final String wireName;

    ServiceError(String wireName) {
        this.wireName = wireName;
    }

    /** The exact string clients receive in {@code {"type":"error","message":...}}. */
    public String wireName() {
        return wireName;
    }
}
