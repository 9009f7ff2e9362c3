package io.squall.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.squall.core.cluster.Claims;
import io.squall.core.cluster.Occupancy;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.json.Json;
import io.squall.api.JsonKey;
import io.squall.core.loop.Cancellable;
import io.squall.core.loop.EventLoop;
import io.squall.server.config.WebhookConfig;
import io.squall.server.hooks.WebhookRules.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the cluster's occupied and vacated in the order the engine decided them: the engine appends every change
 * to its channel's partition (so a channel's changes are in one partition, in order, whichever node made them), and
 * each partition is delivered by the one node holding its lease ({@link Claims}, renewed every
 * {@link #RENEW}, lost {@link #LEASE} after its holder stops renewing: a dead holder's partitions move to a live
 * node, which resumes from the oldest change not yet acknowledged). What the application acknowledged is deleted.
 * A node that makes a change pokes the others on a bus topic, so the holder reads at once. Loop only.
 */
final class OccupancyDelivery {
    private static final Logger log = LoggerFactory.getLogger(OccupancyDelivery.class);
    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration RENEW = Duration.ofSeconds(1);
    private static final JsonKey SPACE = JsonKey.of("webhooks");
    private static final JsonKey POKE = JsonKey.of("webhooks:poke");

    private final class Partition {
        final int index;
        final WebhookSender sender;
        boolean held;
        boolean reading;
        /** a poke came while a read was under way: what it announced may have come after that read */
        boolean again;
        /** the latest entry handed to the sender while held; null: from the oldest */
        String lastRead;

        Partition(int index, WebhookSender main) {
            this.index = index;
            this.sender = new WebhookSender(main, config.batchSize() * 4, this::delivered);
        }

        void renewed(boolean holds) {
            if (holds && !held) {
                lastRead = null; // newly held: from the oldest change not acknowledged
            }
            if (holds != held) {
                heldCount += holds ? 1 : -1;
            }
            held = holds;
            read();
        }

        void read() {
            if (reading) {
                again = true;
                return;
            }
            if (!held || !sender.hasRoom(config.batchSize())) {
                return;
            }
            reading = true;
            again = false;
            occupancy.read(index, lastRead, config.batchSize(), (entries, failure) -> {
                reading = false;
                if (failure != null || !held) {
                    return; // the next renewal reads again
                }
                List<String> unwanted = new ArrayList<>();
                for (Occupancy.Entry entry : entries) {
                    Event type = entry.occupied() ? Event.OCCUPIED : Event.VACATED;
                    if (!config.channels().of(entry.channel()).contains(type)) {
                        unwanted.add(entry.id());
                    } else if (!sender.offer(event(entry, type))) {
                        break; // never, as it reads only with room for a batch: read again from here
                    }
                    lastRead = entry.id();
                }
                if (!unwanted.isEmpty()) {
                    occupancy.delete(index, unwanted, (ok, ignored) -> { });
                }
                if ((entries.size() == config.batchSize() || again) && held) {
                    read();
                }
            });
        }

        /** Sender thread: the application took {@code batch}: forget it in the engine, read on. */
        void delivered(List<WebhookEvent> batch) {
            List<String> ids = batch.stream().map(WebhookEvent::entry).toList();
            loop.executeCritical(() -> {
                occupancy.delete(index, ids, (ok, ignored) -> { });
                read();
            });
        }
    }

    private final WebhookConfig config;
    private final EventLoop loop;
    private final Occupancy occupancy;
    private final Claims claims;
    private final ServiceBus bus;
    private final JsonNode owner;
    private final List<Partition> partitions = new ArrayList<>();
    /** partitions this node delivers now: written on the loop, read by {@code /health} */
    private volatile int heldCount;
    private final Consumer<JsonNode> onPoke = this::poked;
    private Cancellable renewals;
    /** the cluster's changes not kept, partitions being full, as last read; written on the loop */
    private volatile long dropped;
    private long lastWarnNanos;

    OccupancyDelivery(WebhookConfig config, EventLoop loop, Occupancy occupancy, ServiceBus bus, WebhookSender main,
            MeterRegistry meters) {
        this.config = config;
        this.loop = loop;
        this.occupancy = occupancy;
        this.claims = bus.claims();
        this.bus = bus;
        this.owner = Json.mapper().createObjectNode().put("node", bus.nodeId());
        for (int i = 0; i < occupancy.partitions(); i++) {
            partitions.add(new Partition(i, main));
        }
        this.lastWarnNanos = loop.nanoTime() - WebhookSender.DROP_LOG_INTERVAL.toNanos();
        Gauge.builder("broker.webhooks.cluster.dropped", this, delivery -> delivery.dropped)
                .description("Occupied/vacated changes the cluster did not keep, its partitions being full (Redis's"
                        + " count, read by the nodes delivering partitions)").register(meters);
    }

    void start() {
        bus.subscribe(POKE, onPoke, (ok, failure) -> { }); // a failure: the renewals still read every second
        renewals = loop.scheduleAtFixedRate(Duration.ZERO, RENEW, this::renew);
    }

    /** After a change this node made: the partition's holder (wherever it is) reads it now. */
    void poke(String service, JsonKey channel) {
        bus.publish(POKE, Json.mapper().getNodeFactory().numberNode(occupancy.partitionOf(service, channel)),
                (ok, failure) -> { });
    }

    private void poked(JsonNode partition) {
        int index = partition.asInt(-1);
        if (index >= 0 && index < partitions.size()) {
            partitions.get(index).read();
        }
    }

    private void renew() {
        for (Partition partition : partitions) {
            claims.claim(SPACE, "partition-" + partition.index, owner, LEASE,
                    (holds, failure) -> partition.renewed(failure == null && holds));
        }
        if (heldCount > 0) {
            occupancy.dropped((count, failure) -> {
                if (failure == null && count > dropped) {
                    if (loop.nanoTime() - lastWarnNanos >= WebhookSender.DROP_LOG_INTERVAL.toNanos()) {
                        lastWarnNanos = loop.nanoTime();
                        log.warn("webhooks: the cluster's partitions of occupied/vacated are full (the application"
                                + " has not taken them for long): {} change(s) not kept in all"
                                + " (broker_webhooks_cluster_dropped)", count);
                    }
                    dropped = count;
                }
            });
        }
    }

    private WebhookEvent event(Occupancy.Entry entry, Event type) {
        // the id is the reporting node's and the change's seq: the same whichever node delivers it, however often
        return new WebhookEvent(entry.node() + "-" + entry.seq(), type, entry.time(), entry.node(), entry.service(),
                entry.channel().value(), null, null, 0, null, entry.seq(), System.nanoTime(), entry.id());
    }

    /** For {@code /health}: the partitions this node delivers and the changes queued for them. */
    String healthJson() {
        int queued = 0;
        for (Partition partition : partitions) {
            queued += partition.sender.depth();
        }
        return "{\"held\":" + heldCount + ",\"queued\":" + queued + ",\"dropped\":" + dropped + "}";
    }

    /** Any thread: stops delivering and frees the leases at once, so another node takes over without waiting. */
    void close() {
        partitions.forEach(partition -> partition.sender.close());
        loop.executeCritical(() -> {
            if (renewals != null) {
                renewals.cancel();
            }
            for (Partition partition : partitions) {
                if (partition.held) {
                    partition.held = false;
                    claims.release(SPACE, "partition-" + partition.index, owner, (ok, ignored) -> { });
                }
            }
        });
    }
}
