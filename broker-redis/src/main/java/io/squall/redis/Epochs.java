package io.squall.redis;

import java.security.SecureRandom;

/** New epochs: 8 random letters, drawn by the caller and passed to the scripts that may need one. */
final class Epochs {
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {}

    static String next() {
        char[] epoch = new char[8];
        for (int i = 0; i < epoch.length; i++) {
            epoch[i] = LETTERS.charAt(RANDOM.nextInt(LETTERS.length()));
        }
        return new String(epoch);
    }
}
