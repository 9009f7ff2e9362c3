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

    public static PubSubService memory(String name, ServiceContext context, ChannelPolicy policy,
            PubSubSettings settings) {
        return new PubSubService(name, context, policy, settings,
                new MemoryBroker(context.loop(), HistorySettings.DEFAULTS),
                new MemoryPresence(context.loop(), Duration.ofSeconds(60)));
    }
}
