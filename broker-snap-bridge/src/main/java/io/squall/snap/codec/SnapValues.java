package io.squall.snap.codec;

import java.util.HexFormat;

/** SNAP's argument rules in one place: the types an RPC may carry and their ranges. */
public final class SnapValues {
    /** Longest string or byte list SNAPpy can hold. */
    public static final int MAX_BYTES = 255;
    public static final int MIN_INT = Short.MIN_VALUE;
    public static final int MAX_INT = Short.MAX_VALUE;

    private static final HexFormat HEX = HexFormat.of();

    private SnapValues() {}

    /** Fails unless {@code arg} is None, a bool, a 16-bit int, a {@link SnapString} or a {@link SnapByteList}. */
    static void check(Object arg) {
        if (arg == null || arg instanceof Boolean || arg instanceof SnapString || arg instanceof SnapByteList) {
            return;
        }
        if (arg instanceof Integer i) {
            if (i < MIN_INT || i > MAX_INT) {
                throw new IllegalArgumentException("Int out of range: " + i);
            }
            return;
        }
        throw new IllegalArgumentException("Unsupported DataType: " + arg.getClass().getSimpleName());
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    public static byte[] parseHex(String hex) {
        return HEX.parseHex(hex);
    }

    /** A SNAP address as six lower-case hex digits: {@code 5de663}. */
    public static String address(int address) {
        return String.format(java.util.Locale.ROOT, "%06x", address);
    }

    /**
     * Parses a SNAP address written as six hex digits, optionally dotted ({@code 5D.E6.63}).
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static int parseAddress(String text) {
        String digits = text.replace(".", "").replace(":", "");
        if (digits.length() != 6) {
            throw new IllegalArgumentException("a SNAP address is 3 bytes (6 hex digits): " + text);
        }
        try {
            return Integer.parseInt(digits, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a SNAP address is 3 bytes (6 hex digits): " + text, e);
        }
    }
}
