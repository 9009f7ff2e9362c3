package io.squall.bench.proto;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The stamp every benchmark payload starts with: {@code #}, the intended send time (System.nanoTime of the
 * generator, 16 hex digits) and the step it belongs to (2 hex digits), then {@code x} padding to the payload size.
 * Plain ASCII, so it travels unchanged inside a JSON string, a NATS MSG or an MQTT PUBLISH.
 */
public final class Marker {
    public static final int LENGTH = 19;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Marker() {}

    /** A fresh payload of {@code size} bytes (at least {@link #LENGTH}) carrying the stamp. */
    public static byte[] payload(int size, long intendedNanos, int step) {
        if (size < LENGTH) {
            throw new IllegalArgumentException("payload must be at least " + LENGTH + " bytes: " + size);
        }
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        bytes[0] = '#';
        for (int i = 0; i < 16; i++) {
            bytes[1 + i] = HEX[(int) (intendedNanos >>> (60 - 4 * i)) & 0xf];
        }
        bytes[17] = HEX[(step >>> 4) & 0xf];
        bytes[18] = HEX[step & 0xf];
        return bytes;
    }

    /** Where the stamp starts in {@code buf[from, to)}, or -1. */
    public static int find(ByteBuf buf, int from, int to) {
        int at = buf.indexOf(from, to, (byte) '#');
        return at >= 0 && to - at >= LENGTH ? at : -1;
    }

    public static long intendedNanos(ByteBuf buf, int at) {
        long value = 0;
        for (int i = 1; i <= 16; i++) {
            value = (value << 4) | digit(buf.getByte(at + i));
        }
        return value;
    }

    public static int step(ByteBuf buf, int at) {
        return (digit(buf.getByte(at + 17)) << 4) | digit(buf.getByte(at + 18));
    }

    private static int digit(byte b) {
        return b <= '9' ? b - '0' : b - 'a' + 10;
    }
}
