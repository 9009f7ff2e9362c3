package io.squall.core.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A frame serialized once to UTF-8. A publication to many subscribers is encoded once and this same object
 * (the same bytes) is handed to every subscriber's transport.
 */
public final class EncodedMessage {
    private final byte[] utf8;

    public EncodedMessage(byte[] utf8) {
        this.utf8 = utf8;
    }

    /** The frame's size in bytes, as counted against outbound queue limits. */
    public int size() {
        return utf8.length;
    }

    /**
     * A fresh buffer over the shared bytes (its own position, no copy). Writers only read from it; nothing may
     * write into it.
     */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(utf8);
    }

    /** The shared bytes themselves, for writing out; never modify them. */
    public byte[] bytes() {
        return utf8;
    }

    public String text() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text();
    }
}
