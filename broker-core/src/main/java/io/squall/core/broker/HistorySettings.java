package io.squall.core.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * What every engine keeps besides the streams themselves.
 *
 * @param metaTtl how long a channel's epoch and top offset outlive its last publish or read; keep it far longer
 *     than any history TTL, or clients that recover after it are told {@code recovered: false}
 * @param idempotencyTtl how long a publish's result answers retries that carry the same idempotency key
 * @param maxIdempotencyKeys results the memory engine remembers at most (the oldest go first past it)
 */
public record HistorySettings(Duration metaTtl, Duration idempotencyTtl, int maxIdempotencyKeys) {
    public static final HistorySettings DEFAULTS = new HistorySettings(Duration.ofDays(30), Duration.ofMinutes(5),
            1_000_000);

    public HistorySettings {
        Objects.requireNonNull(metaTtl, "metaTtl");
        Objects.requireNonNull(idempotencyTtl, "idempotencyTtl");
        if (metaTtl.isNegative() || metaTtl.isZero() || idempotencyTtl.isNegative() || idempotencyTtl.isZero()) {
            throw new IllegalArgumentException("history.meta.ttl and idempotency.ttl must be positive, were " + metaTtl + " and " + idempotencyTtl);
        }
        if (maxIdempotencyKeys < 1) {
            throw new IllegalArgumentException("maxIdempotencyKeys must be positive: " + maxIdempotencyKeys);
        }
    }
}
