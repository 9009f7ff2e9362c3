package io.squall.snap;

/** The {@code snap} service's error names (SNAPconnect's wording where it has one). */
final class Errors {
    static final String INVALID_ADDRESS = "Invalid address";
    static final String INVALID_GROUP = "Invalid group";
    /** SNAPconnect: TTL for multicast must be greater than 0 and less than 256. */
    static final String INVALID_TTL = "Invalid TTL";
    static final String INVALID_FUNCTION = "Invalid function name";
    static final String INT_OUT_OF_RANGE = "Int out of range";
    static final String STRING_TOO_LONG = "Max string length is 255";
    static final String UNSUPPORTED_TYPE = "Unsupported DataType";
    /** Function name and arguments exceed what one SNAP RPC packet carries. */
    static final String PAYLOAD_TOO_LARGE = "Payload too large";
    /** A public client called a function that snap.public.functions does not list. */
    static final String NOT_AUTHORIZED = "Not authorized";
    /** The serial link is down: nothing can be sent. */
    static final String LINK_DOWN = "Link down";
    /** The serial writer's queue is full. */
    static final String SEND_QUEUE_FULL = "Send queue full";
    /** The port refused the frame (it went away while writing). */
    static final String NOT_SENT = "Not sent";

    private Errors() {}
}
