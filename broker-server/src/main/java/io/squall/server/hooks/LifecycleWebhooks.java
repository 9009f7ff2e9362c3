package io.squall.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import io.squall.core.cluster.Occupancy;
import io.squall.core.error.CloseCode;
import io.squall.api.JsonKey;
import io.squall.core.lifecycle.LifecycleEvents;
import io.squall.core.loop.EventLoop;
import io.squall.server.config.WebhookConfig;
import io.squall.server.hooks.WebhookRules.Event;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop's side of the webhooks: turns what the registry and PubSub tell into events and queues them, nothing
 * more. Occupied and vacated: this node counts its own subscribers of each channel whose rule asks for either, and
 * tells {@link Occupancy} its own first and last; Occupancy says whether that changed the cluster's answer (and
 * gives the change its seq). The changes of one channel go to Occupancy one after the other, in this node's order,
 * each retried until the engine takes it. Loop only.
 */
final class LifecycleWebhooks implements LifecycleEvents {
    private static final Logger log = LoggerFactory.getLogger(LifecycleWebhooks.class);
    private static final Duration RETRY_MIN = Duration.ofMillis(100);
    private static final Duration RETRY_MAX = Duration.ofSeconds(5);
    /** RFC 6455's codes for a close frame without a code, and for none at all (never on the wire) */
    private static final int NO_STATUS = 1005;
    private static final int ABNORMAL = 1006;

    /** A channel of a service, as Occupancy names it. */
    private record Held(String service, JsonKey channel) {}

    private final WebhookConfig config;
    private final String node;
    private final EventLoop loop;
    private final InstantSource clock;
    private final Occupancy occupancy;
    private final WebhookSender sender;
    /** the cluster's delivery in order of occupied and vacated, or null: this node queues its own */
    private OccupancyDelivery ordered;
    /** shared with the proxies: a connection has one id in both */
    private final ConnectionIds ids;
    /** this node's subscribers of each channel whose occupancy is reported */
    private final Map<Held, Integer> local = new HashMap<>();
    /** per channel, the transitions (true: enter) not yet taken by Occupancy, oldest first */
    private final Map<Held, ArrayDeque<Boolean>> pending = new HashMap<>();
    private final long epochMicros;
    private long nextEvent;
    /** channels with a change the engine has not taken yet: read by a graceful stop, off the loop */
    private volatile int undecided;
    /** false until {@link #start} released what this node's id held before: changes wait in {@link #pending} */
    private boolean started;

    LifecycleWebhooks(WebhookConfig config, EventLoop loop, InstantSource clock, Occupancy occupancy,
            WebhookSender sender, ConnectionIds ids) {
        this.config = config;
        this.node = ids.nodeId();
        this.loop = loop;
        this.clock = clock;
        this.occupancy = occupancy;
        this.sender = sender;
        this.ids = ids;
        // ids stay unique when a node starts again under the same id: its sequence starts at the time in µs
        this.epochMicros = clock.millis() * 1000;
    }

    @Override
    public void connected(Client client) {
        ids.of(client);
        if (config.connections().contains(Event.CONNECTED)) {
            queue(Event.CONNECTED, null, null, client, 0, null, 0);
        }
    }

    @Override
    public void disconnected(Client client) {
        if (config.connections().contains(Event.DISCONNECTED)) {
            int code = client.closeCode();
            if (code == 0) {
                code = ABNORMAL;
            }
            queue(Event.DISCONNECTED, null, null, client, code, reason(code), 0);
        }
    }

    /** The reason Squall's own close frames carry for {@code code}; the standard meaning of the others. */
    static String reason(int code) {
        for (CloseCode known : CloseCode.values()) {
            if (known.code() == code) {
                return known.text();
            }
        }
        return switch (code) {
            case NO_STATUS -> "No status";
            case ABNORMAL -> "Connection lost";
            default -> "Closed by the client";
        };
    }

    @Override
    public void subscribed(String service, JsonKey channel, Client client) {
        Set<Event> events = config.channels().of(channel);
        if (events.contains(Event.SUBSCRIBED)) {
            queue(Event.SUBSCRIBED, service, channel, client, 0, null, 0);
        }
        if (events.contains(Event.OCCUPIED) || events.contains(Event.VACATED)) {
            Held held = new Held(service, channel);
            if (local.merge(held, 1, Integer::sum) == 1) {
                change(held, true);
            }
        }
    }

    @Override
    public void unsubscribed(String service, JsonKey channel, Client client) {
        Set<Event> events = config.channels().of(channel);
        if (events.contains(Event.UNSUBSCRIBED)) {
            queue(Event.UNSUBSCRIBED, service, channel, client, 0, null, 0);
        }
        Held held = new Held(service, channel);
        Integer count = local.get(held);
        if (count == null) {
            return;
        }
        if (count > 1) {
            local.put(held, count - 1);
        } else {
            local.remove(held);
            change(held, false);
        }
    }

    private void change(Held held, boolean enter) {
        ArrayDeque<Boolean> waiting = pending.computeIfAbsent(held, h -> new ArrayDeque<>(2));
        waiting.add(enter);
        if (waiting.size() == 1) {
            undecided = pending.size();
            if (started) {
                next(held, 0);
            }
        }
    }

    /** Tells Occupancy the oldest waiting transition of {@code held}; the next one once it is taken. */
    private void next(Held held, int failures) {
        ArrayDeque<Boolean> waiting = pending.get(held);
        boolean enter = waiting.peek();
        BiConsumer<Long, Throwable> then = (seq, failure) -> {
            if (failure != null) {
                if (failures == 0) {
                    log.warn("webhooks: the engine did not take a change of {}'s occupancy ({}); retrying",
                            held.channel(), failure.getMessage());
                }
                loop.schedule(backoff(failures + 1), () -> next(held, failures + 1));
                return;
            }
            if (seq > 0) {
                occupancyChanged(held.service(), held.channel(), enter ? Event.OCCUPIED : Event.VACATED, seq);
            }
            waiting.poll();
            if (waiting.isEmpty()) {
                pending.remove(held);
                undecided = pending.size();
            } else {
                next(held, 0);
            }
        };
        if (enter) {
            occupancy.enter(held.service(), held.channel(), then);
        } else {
            occupancy.leave(held.service(), held.channel(), then);
        }
    }

    void deliverOccupancyWith(OccupancyDelivery delivery) {
        this.ordered = delivery;
    }

    private void occupancyChanged(String service, JsonKey channel, Event type, long seq) {
        if (ordered != null) {
            ordered.poke(service, channel); // the engine keeps the change: its partition's holder delivers it
        } else if (config.channels().of(channel).contains(type)) {
            queue(type, service, channel, null, 0, null, seq);
        }
    }

    /**
     * Starts telling Occupancy this node's changes. On several nodes, first what this node's id held before a restart
     * is released (vacated where no node holds it now): until that went through, changes wait, else a release
     * retried late would take back what this node entered meanwhile.
     */
    void start(boolean clustered) {
        if (!clustered) {
            started = true;
            return;
        }
        releaseNode(node, 0, () -> {
            started = true;
            for (Held held : List.copyOf(pending.keySet())) {
                next(held, 0);
            }
        });
    }

    /** A dead node's channels that no node holds now: vacated. */
    void releaseNode(String deadNode, int failures) {
        releaseNode(deadNode, failures, () -> { });
    }

    private void releaseNode(String deadNode, int failures, Runnable then) {
        occupancy.releaseNode(deadNode, (changes, failure) -> {
            if (failure != null) {
                loop.schedule(backoff(failures + 1), () -> releaseNode(deadNode, failures + 1, then));
                return;
            }
            for (Occupancy.Change change : changes) {
                occupancyChanged(change.service(), change.channel(), Event.VACATED, change.seq());
            }
            then.run();
        });
    }

    /** The engine may have lost or given up this node's channels: they are entered again (a no-op where held). */
    void reenter() {
        for (Held held : List.copyOf(local.keySet())) {
            ArrayDeque<Boolean> waiting = pending.get(held);
            if (waiting == null || !waiting.peekLast()) {
                change(held, true);
            }
        }
    }

    int undecided() {
        return undecided;
    }

    private static Duration backoff(int failures) {
        long millis = Math.min(RETRY_MAX.toMillis(), RETRY_MIN.toMillis() << Math.min(10, failures - 1));
        return Duration.ofMillis(millis);
    }

    private void queue(Event type, String service, JsonKey channel, Client client, int code, String reason,
            long seq) {
        JsonNode identity = client == null ? null : client.identity().orElse(null);
        sender.offer(new WebhookEvent(node + "-" + (epochMicros + (++nextEvent)), type, clock.millis(), node, service,
                channel == null ? null : channel.value(), client == null ? null : ids.of(client), identity, code, reason,
                seq, System.nanoTime(), null));
    }
}
