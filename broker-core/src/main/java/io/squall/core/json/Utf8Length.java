package io.squall.core.json;

/** The UTF-8 length of a string, counted without encoding it. */
public final class Utf8Length {
    private Utf8Length() {}

    /** Bytes {@code text} takes in UTF-8; a lone surrogate counts as the 3 bytes of its replacement. */
    public static int of(String text) {
        int length = text.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < length
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    bytes += 2; // the pair: 2 chars, 4 bytes
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }
}
