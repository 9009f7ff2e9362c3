package io.squall.server.config;

import io.squall.core.broker.HistorySettings;
import io.squall.core.service.pubsub.ChannelOptionsRules;
import io.squall.core.service.pubsub.PubSubSettings;
import io.squall.redis.RedisConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where publications, history and presence live, and the rules that say which channels keep them.
 *
 * @param redis the Redis engine's settings when {@code engine=redis}; empty for the embedded memory engine
 * @param channels history and presence by channel pattern ({@code pubsub.channels})
 * @param recoveryMaxPublications most publications one recovery delivers or one history call returns
 * @param positionCheckInterval how often positioned subscriptions are compared with their stream's top
 * @param historyMetaTtl how long a channel's epoch and top offset outlive its last publish or read
 * @param idempotencyTtl how long an idempotency key answers retries
 * @param presenceTtl how long a presence entry lives unless refreshed
 */
public record EngineConfig(Optional<RedisConfig> redis, ChannelOptionsRules channels, int recoveryMaxPublications, Duration positionCheckInterval,
        Duration historyMetaTtl, Duration idempotencyTtl, Duration presenceTtl) {

    public EngineConfig {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(channels, "channels");
        if (recoveryMaxPublications < 1) {
            throw new IllegalArgumentException("recovery.max.publications must be at least 1, was "
                    + recoveryMaxPublications);
        }
        positive("position.check.interval", positionCheckInterval);
        positive("history.meta.ttl", historyMetaTtl);
        positive("idempotency.ttl", idempotencyTtl);
        positive("presence.ttl", presenceTtl);
        if (presenceTtl.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("presence.ttl must be at least 3s (entries are refreshed every third"
                    + " of it), was " + presenceTtl);
        }
    }

    public HistorySettings historySettings() {
        return new HistorySettings(historyMetaTtl, idempotencyTtl, HistorySettings.DEFAULTS.maxIdempotencyKeys());
    }

    public PubSubSettings pubSubSettings(int maxSubscriptions) {
        return new PubSubSettings(maxSubscriptions, channels, recoveryMaxPublications, positionCheckInterval,
                presenceTtl.dividedBy(3));
    }

    private static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + value);
        }
    }
}
