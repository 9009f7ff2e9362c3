package io.squall.core.broker;

import java.security.SecureRandom;

/**
 * New epochs: 8 random letters, so that a history that was lost and started again is never mistaken for the old one.
 * Both engines draw them here (the Redis engine passes one to every script that may have to create a channel's meta).
 */
public final class Epochs {
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {}

    public static String next() {
        // one call into the (synchronized) SecureRandom per epoch; 256 % 52 bias is irrelevant for an identity
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        char[] epoch = new char[random.length];
        for (int i = 0; i < epoch.length; i++) {
            epoch[i] = LETTERS.charAt((random[i] & 0xff) % LETTERS.length());
        }
        return new String(epoch);
    }
}
