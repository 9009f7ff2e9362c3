package io.squall.server.ws;

import java.nio.charset.StandardCharsets;

/** Server control frames (RFC 6455 §5.5), framed and unmasked, ready for an {@link Outbox}. */
final class ControlFrames {
    /** An empty ping: the same bytes for every connection. Never modified. */
    static final byte[] PING = {(byte) 0x89, 0};

    private ControlFrames() {}

    static byte[] pong(byte[] payload) {
        return frame(0x8A, payload);
    }

    /**
     * A close frame with a code and reason; {@link FrameReader#NO_STATUS} gives an empty one. The reason is cut
     * to fit the 125-byte control frame limit on a character boundary.
     */
    static byte[] close(int code, String reason) {
        if (code == FrameReader.NO_STATUS) {
            return frame(0x88, new byte[0]);
        }
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = text.length;
        while (length > 123) {
            length--;
            while (length > 0 && (text[length] & 0xC0) == 0x80) {
                length--; // never split a character
            }
        }
        byte[] payload = new byte[2 + length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, length);
        return frame(0x88, payload);
    }

    private static byte[] frame(int first, byte[] payload) {
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) first;
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return frame;
    }
}
