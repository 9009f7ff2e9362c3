package io.squall.server.ws;

/**
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. A text frame or
 * a close reason that fails it is closed with 1007 (RFC 6455 §8.1), never passed on.
 */
final class Utf8 {
    private Utf8() {}

    static boolean isValid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b0 = bytes[i];
            if (b0 >= 0) {
                i++;
                continue;
            }
            b0 &= 0xFF;
            if (b0 < 0xC2 || b0 > 0xF4) {
                return false; // a continuation byte first, an overlong two-byte form, or beyond U+10FFFF
            }
            int need = b0 < 0xE0 ? 1 : b0 < 0xF0 ? 2 : 3;
            if (i + need >= to) {
                return false; // truncated sequence
            }
            int b1 = bytes[i + 1] & 0xFF;
            int low = 0x80;
            int high = 0xBF;
            if (b0 == 0xE0) {
                low = 0xA0; // overlong three-byte form
            } else if (b0 == 0xED) {
                high = 0x9F; // UTF-16 surrogates
            } else if (b0 == 0xF0) {
                low = 0x90; // overlong four-byte form
            } else if (b0 == 0xF4) {
                high = 0x8F; // beyond U+10FFFF
            }
            if (b1 < low || b1 > high) {
                return false;
            }
            for (int k = 2; k <= need; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
    }
}
