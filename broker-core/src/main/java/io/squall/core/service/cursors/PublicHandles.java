package io.squall.core.service.cursors;

import java.util.Map;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * Picks a random 16-bit public handle that no other cursor of the same document uses. Snorky checked only the
 * caller's own cursors, so two clients could get the same handle in one document and overwrite each other.
 */
final class PublicHandles {
    static final int SPACE = 1 << 16;
    private static final int RANDOM_TRIES = 32;

    private final RandomGenerator random;

    PublicHandles(RandomGenerator random) {
        this.random = random;
    }

    /** A handle not in {@code taken}, or empty when all 65,536 are taken. */
    OptionalInt pick(Map<Integer, ?> taken) {
        if (taken.size() >= SPACE) {
            return OptionalInt.empty();
        }
        int candidate = 0;
        for (int i = 0; i < RANDOM_TRIES; i++) {
            candidate = random.nextInt(SPACE);
            if (!taken.containsKey(candidate)) {
                return OptionalInt.of(candidate);
            }
        }
        // a crowded document: walk on from the last draw to the next free handle, which must exist
        for (int step = 1; step < SPACE; step++) {
            int next = (candidate + step) % SPACE;
            if (!taken.containsKey(next)) {
                return OptionalInt.of(next);
            }
        }
        return OptionalInt.empty();
    }
}
