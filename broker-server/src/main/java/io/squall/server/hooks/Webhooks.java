package io.squall.server.hooks;

import io.micrometer.core.instrument.MeterRegistry;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.broker.Engine;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.service.chat.ChatService;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.server.config.WebhookConfig;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lifecycle webhooks of one node, wired to the public registry and PubSub (docs/hooks-webhooks.md). */
public final class Webhooks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);

    private final WebhookSender sender;
    private final LifecycleWebhooks events;
    private final OccupancyDelivery ordered;

    private Webhooks(WebhookSender sender, LifecycleWebhooks events, OccupancyDelivery ordered) {
        this.sender = sender;
        this.events = events;
        this.ordered = ordered;
    }

    /** On the loop, once the services are installed. */
    public static Webhooks install(WebhookConfig config, ServiceContext context, Engine engine,
            ServiceRegistry publicRegistry, PubSubService pubsub, ConnectionIds ids, MeterRegistry meters) {
        context.loop().checkInLoop();
        ServiceBus bus = engine.serviceBus();
        WebhookSender sender = new WebhookSender(config, bus.nodeId(), meters);
        LifecycleWebhooks events = new LifecycleWebhooks(config, context.loop(), context.clock(),
                engine.occupancy(), sender, ids);
        publicRegistry.lifecycle(events);
        if (config.services().contains("pubsub")) {
            pubsub.lifecycle(events);
        }
        if (config.services().contains("chat")) {
            chat(publicRegistry).lifecycle(events);
        }
        OccupancyDelivery ordered = null;
        if (bus.clustered() && engine.occupancy().partitions() > 0) {
            ordered = new OccupancyDelivery(config, context.loop(), engine.occupancy(), bus, sender, meters);
            events.deliverOccupancyWith(ordered);
            ordered.start();
        }
        events.start(bus.clustered());
        if (bus.clustered()) {
            bus.onNodeDown(node -> events.releaseNode(node, 0));
            bus.onResync(events::reenter);
        }
        log.info("webhooks: lifecycle events to {} (batches of up to {}, queue {})", config.url(),
                config.batchSize(), config.queueSize());
        return new Webhooks(sender, events, ordered);
    }

    private static ChatService chat(ServiceRegistry publicRegistry) {
        return publicRegistry.serviceNames().stream().map(name -> publicRegistry.service(name).orElseThrow())
                .filter(ChatService.class::isInstance).map(ChatService.class::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("webhooks.services names chat, but no Chat service"
                        + " runs on the public port (chat.service, chat.registry)"));
    }

    /** For {@code /health} details: a JSON object's text. */
    public String healthJson() {
        return "{\"queued\":" + sender.depth() + ",\"dropped\":" + sender.dropped() + ",\"failing\":"
                + sender.failing() + (ordered == null ? "" : ",\"partitions\":" + ordered.healthJson()) + "}";
    }

    /** Gives queued events up to {@code grace} to be delivered (a graceful stop's disconnects), then stops. */
    public void close(Duration grace) {
        sender.close(grace, events::undecided);
        if (ordered != null) {
            ordered.close();
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
