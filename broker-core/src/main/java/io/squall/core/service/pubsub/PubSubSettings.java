package io.squall.core.service.pubsub;

import java.time.Duration;
import java.util.Objects;

/**
 * PubSub's limits and timings.
 *
 * @param maxSubscriptionsPerClient subscriptions one connection may hold
 * @param channels history and presence by channel pattern
 * @param maxRecoveredPublications the most publications one recovery delivers (more missed: {@code recovered:
 *     false}), and the most one {@code history} call returns
 * @param positionCheckInterval how often positioned subscriptions are compared with their stream's top, so a
 *     publication the engine lost in transit is noticed even when nothing else is published
 * @param presenceRefreshInterval how often present connections are added again, well within the presence TTL
 */
public record PubSubSettings(int maxSubscriptionsPerClient, ChannelOptionsRules channels, int maxRecoveredPublications,
        Duration positionCheckInterval, Duration presenceRefreshInterval) {

    public PubSubSettings {
        Objects.requireNonNull(channels, "channels");
        if (maxSubscriptionsPerClient < 1) {
            throw new IllegalArgumentException("maxSubscriptionsPerClient must be positive: " + maxSubscriptionsPerClient);
        }
        if (maxRecoveredPublications < 1) {
            throw new IllegalArgumentException("maxRecoveredPublications must be positive: " + maxRecoveredPublications);
        }
        positive("positionCheckInterval", positionCheckInterval);
        positive("presenceRefreshInterval", presenceRefreshInterval);
    }

    /** Defaults as documented: 300 recovered publications, position checks every 40 s, presence refreshed every 20 s. */
    public static PubSubSettings defaults(int maxSubscriptionsPerClient, ChannelOptionsRules channels) {
        return new PubSubSettings(maxSubscriptionsPerClient, channels, 300, Duration.ofSeconds(40),
                Duration.ofSeconds(20));
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
