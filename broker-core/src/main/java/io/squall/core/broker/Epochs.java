package io.squall.core.broker;

import java.security.SecureRandom;

/** New epochs: 8 random letters, so that a history that was lost and started again is never mistaken for the old one. */
public final class Epochs {
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {}

    public static String next() {
        char[] epoch = new char[8];
        for (int i = 0; i < epoch.length; i++) {
            epoch[i] = LETTERS.charAt(RANDOM.nextInt(LETTERS.length()));
        }
        return new String(epoch);
    }
}
