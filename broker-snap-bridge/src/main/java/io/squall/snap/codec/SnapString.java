package io.squall.snap.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A SNAPpy string: a byte string of at most 255 bytes (SNAP strings are bytes, not text). */
public record SnapString(byte[] bytes) {
    public SnapString {
        bytes = bytes.clone();
        if (bytes.length > SnapValues.MAX_BYTES) {
            throw new IllegalArgumentException("Max string length is 255, was " + bytes.length);
        }
    }

    /** The bytes of {@code text} in ISO-8859-1, lossless for every byte value. */
    public static SnapString latin1(String text) {
        return new SnapString(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SnapString s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SnapString[" + SnapValues.hex(bytes) + "]";
    }
}
