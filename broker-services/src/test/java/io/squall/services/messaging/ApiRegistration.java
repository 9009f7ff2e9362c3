package io.squall.services.messaging;

import io.squall.api.SquallService;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.api.ApiServices;
import io.squall.core.broker.HistorySettings;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.service.pubsub.ChannelPolicy;
import io.squall.core.testing.PubSubs;
import java.time.Duration;

/** Registers a service of the public API the way the broker does, on the memory engine's bus (one node). */
final class ApiRegistration {
    private ApiRegistration() {}

    static void register(ManualEventLoop loop, ServiceContext context, ServiceRegistry registry, SquallService service) {
        var pubsub = PubSubs.memory("pubsub", context, ChannelPolicy.open(true), 128);
        ApiServices services = new ApiServices(context,
                ServiceBus.memory(loop, HistorySettings.DEFAULTS, Duration.ofSeconds(30)),
                (channel, data, onLoop) -> pubsub.publish(channel, data, null, onLoop), pubsub.reads());
        services.add(registry, service);
        loop.runPending();
    }
}
