package io.squall.core.testing;

import io.squall.core.ServiceContext;
import io.squall.core.broker.HistorySettings;
import io.squall.core.broker.MemoryBroker;
import io.squall.core.broker.MemoryPresence;
import io.squall.core.service.pubsub.ChannelOptionsRules;
import io.squall.core.service.pubsub.ChannelPolicy;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.core.service.pubsub.PubSubSettings;
import java.time.Duration;

/** PubSub services on the embedded engine, as tests need them. */
public final class PubSubs {
    private PubSubs() {}

    /** Live-only channels on a fresh memory engine. */
    public static PubSubService memory(String name, ServiceContext context, ChannelPolicy policy, int cap) {
        return memory(name, context, policy, PubSubSettings.defaults(cap, ChannelOptionsRules.NONE));
    }

    /**
     * Settings with channel options, e.g. {@code settings("news:* size=5 ttl=1m presence", 3)}: 100 subscriptions per
     * connection, at most {@code maxRecovered} publications recovered, position checks every 40 s and presence
     * refreshed every 20 s (the defaults).
     */
    public static PubSubSettings settings(String channelRules, int maxRecovered) {
        return new PubSubSettings(100, ChannelOptionsRules.parse(channelRules), maxRecovered, Duration.ofSeconds(40),
                Duration.ofSeconds(20));
    }

    public static PubSubService memory(String name, ServiceContext context, ChannelPolicy policy,
            PubSubSettings settings) {
        return new PubSubService(name, context, policy, settings,
                new MemoryBroker(context.loop(), HistorySettings.DEFAULTS),
                new MemoryPresence(context.loop(), Duration.ofSeconds(60)));
    }
}
