package io.squall.core.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of a channel's stream the engine keeps for recovery and {@code history}: at most {@code size}
 * publications, the whole stream expiring {@code ttl} after its latest publication. A channel without history
 * ({@link #NONE}) costs the engine nothing and its publications carry no offset.
 */
public record HistoryPolicy(int size, Duration ttl) {
    public static final HistoryPolicy NONE = new HistoryPolicy(0, Duration.ZERO);

    public HistoryPolicy {
        Objects.requireNonNull(ttl, "ttl");
        if (size < 0) {
            throw new IllegalArgumentException("history size must not be negative: " + size);
        }
        if (size > 0 && (ttl.isZero() || ttl.isNegative())) {
            throw new IllegalArgumentException("history ttl must be positive when size is set: " + ttl);
        }
    }

    public boolean enabled() {
        return size > 0;
    }
}
