package io.squall.snap.codec;

import java.util.Arrays;

/** A SNAPpy byte list (newer SNAPpy): at most 255 bytes, each 0-255. */
public record SnapByteList(byte[] bytes) {
    public SnapByteList {
        bytes = bytes.clone();
        if (bytes.length > SnapValues.MAX_BYTES) {
            throw new IllegalArgumentException("Max byte list length is 255, was " + bytes.length);
        }
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
        return other instanceof SnapByteList s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SnapByteList[" + SnapValues.hex(bytes) + "]";
    }
}
