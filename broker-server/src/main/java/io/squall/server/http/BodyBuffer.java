package io.squall.server.http;

import java.util.Arrays;

/**
 * A request body gathered from the pieces the socket delivers, never holding more than {@code maxBytes}: the first
 * array is sized by the declared length (or a guess), grown by doubling up to the limit. Not thread-safe: one
 * request's IO thread.
 */
final class BodyBuffer {
    private final int maxBytes;
    private byte[] body;
    private int size;

    /** @param expected the declared length when it is within the limit, else a first guess at most {@code maxBytes} */
    BodyBuffer(int maxBytes, int expected) {
        this.maxBytes = maxBytes;
        this.body = new byte[Math.max(0, Math.min(expected, maxBytes))];
    }

    /** Adds {@code chunk}; false, adding nothing, when that would pass the limit (reaching it is allowed). */
    boolean append(byte[] chunk) {
        if (chunk.length > maxBytes - size) {
            return false;
        }
        if (chunk.length > body.length - size) {
            body = Arrays.copyOf(body, (int) Math.min(maxBytes, Math.max(2L * body.length, (long) size + chunk.length)));
        }
        System.arraycopy(chunk, 0, body, size, chunk.length);
        size += chunk.length;
        return true;
    }

    /** The exact bytes gathered. */
    byte[] bytes() {
        return size == body.length ? body : Arrays.copyOf(body, size);
    }

    /** The room held, gathered or not: never more than the limit. */
    int capacity() {
        return body.length;
    }
}
