package io.squall.core.service.datasync;

import java.security.SecureRandom;
import java.util.function.Predicate;

/** Subscription tokens as Snorky made them: 32 characters of {@code [a-z0-9]} from a CSPRNG (about 165 bits). */
final class Tokens {
    static final int LENGTH = 32;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private SecureRandom random; // made on first use: seeding it is slow, and start-up should not wait for it

    /** A fresh token that {@code taken} does not hold (a clash is astronomically unlikely, but checked). */
    String next(Predicate<String> taken) {
        if (random == null) {
            random = new SecureRandom();
        }
        String token;
        do {
            char[] chars = new char[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length())); // unbiased: nextInt(bound)
            }
            token = new String(chars);
        } while (taken.test(token));
        return token;
    }
}
