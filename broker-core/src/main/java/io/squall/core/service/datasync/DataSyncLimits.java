package io.squall.core.service.datasync;

import java.time.Duration;
import java.util.Objects;

/**
 * DataSync's bounds.
 *
 * @param tokenExpiry how long an authorized subscription waits to be acquired before it is dropped (Snorky: 120 s)
 * @param maxBufferedDeltas deltas one unacquired subscription holds; one more and it is dropped, and its acquire is
 *     answered "Too many deltas" (Snorky buffered without limit)
 * @param maxSubscriptionsPerClient subscriptions one connection may have acquired at a time
 * @param maxPendingSubscriptions subscriptions authorized but not yet acquired, over all backends
 */
public record DataSyncLimits(Duration tokenExpiry, int maxBufferedDeltas, int maxSubscriptionsPerClient,
        int maxPendingSubscriptions) {

    public DataSyncLimits {
        Objects.requireNonNull(tokenExpiry, "tokenExpiry");
        if (tokenExpiry.isNegative() || tokenExpiry.isZero()) {
            throw new IllegalArgumentException("tokenExpiry must be positive: " + tokenExpiry);
        }
        positive("maxBufferedDeltas", maxBufferedDeltas);
        positive("maxSubscriptionsPerClient", maxSubscriptionsPerClient);
        positive("maxPendingSubscriptions", maxPendingSubscriptions);
    }

    /** 120 s, 1024 deltas, 128 subscriptions per connection, 65,536 pending. */
    public static DataSyncLimits defaults() {
        return new DataSyncLimits(Duration.ofSeconds(120), 1024, 128, 65_536);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
