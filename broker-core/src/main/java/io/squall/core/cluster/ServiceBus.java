package io.squall.core.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.broker.Broker;
import io.squall.core.broker.BrokerEvents;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.HistoryResult;
import io.squall.core.broker.HistorySettings;
import io.squall.core.broker.MemoryBroker;
import io.squall.core.broker.MemoryPresence;
import io.squall.core.broker.PresenceManager;
import io.squall.core.broker.Publication;
import io.squall.core.broker.PublishOptions;
import io.squall.core.broker.PublishResult;
import io.squall.api.JsonKey;
import io.squall.core.loop.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the services other than PubSub (Chat, Messaging, Cursors, DataSync, the SNAP bridge) share their state across
 * nodes. It is the engine's own {@link Broker} and {@link PresenceManager} over a namespace of their own that no
 * client can name, plus node liveness:
 *
 * <ul>
 *   <li><b>Topics</b>: a service publishes an event on a topic; every node subscribed to it (this one included)
 *       receives it on its loop, every node in the same order. A service that applies its changes when their event
 *       comes back, rather than when it sends it, sees the same order on every node.</li>
 *   <li><b>Node topics</b>: {@link #nodeTopic} reaches one node (directed messages, answers).</li>
 *   <li><b>Presence</b>: entries that expire unless their node refreshes them, so a dead node's entries vanish.</li>
 *   <li><b>Claims</b>: names with one owner each ({@link Claims}).</li>
 *   <li><b>Liveness</b>: {@link #onNodeDown} when a node's heartbeats stop; {@link #onResync} when this node may
 *       have missed events or been given up by the others (its pub/sub link was rebuilt, Redis restarted, the node
 *       itself was stalled past the others' patience): services then re-announce what they hold and re-read.</li>
 * </ul>
 *
 * <p>On the memory engine ({@link #clustered()} false) the broker is a {@code MemoryBroker}: a publication is
 * handled inside {@link #publish}, synchronously, so a service written this way behaves and costs as it did on one
 * node, and nothing ever goes down. Everything is called on the event loop and calls back on it.
 */
public final class ServiceBus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceBus.class);

    private final EventLoop loop;
    private final String nodeId;
    private final boolean clustered;
    private final Broker broker;
    private final PresenceManager presence;
    private final Claims claims;
    /** loop-owned: the handlers of each topic this node receives */
    private final Map<JsonKey, List<Consumer<JsonNode>>> handlers = new HashMap<>();
    private final List<Consumer<String>> nodeDown = new ArrayList<>();
    private final List<Runnable> resync = new ArrayList<>();
    private final LiveNodes live;

    /**
     * @param broker a broker of its own (not the one PubSub uses), started here
     * @param live the nodes sharing the engine (only this one on the memory engine)
     */
    public ServiceBus(EventLoop loop, String nodeId, boolean clustered, Broker broker, PresenceManager presence,
            Claims claims, LiveNodes live) {
        this.loop = loop;
        this.nodeId = nodeId;
        this.clustered = clustered;
        this.broker = broker;
        this.presence = presence;
        this.claims = claims;
        this.live = live;
        loop.executeCritical(() -> broker.start(new BrokerEvents() {
            @Override
            public void onPublication(JsonKey topic, Publication publication, String epoch) {
                dispatch(topic, publication.data());
            }

            @Override
            public void onDeliveryInterrupted() {
                resync("the engine's delivery was interrupted");
            }
        }));
    }

    /** The memory engine's bus: one node, synchronous delivery, nothing ever down. */
    public static ServiceBus memory(EventLoop loop, HistorySettings history, Duration presenceTtl) {
        String self = "local";
        return new ServiceBus(loop, self, false, new MemoryBroker(loop, history), new MemoryPresence(loop, presenceTtl),
                new MemoryClaims(loop), () -> Set.of(self));
    }

    /** This node's id (unique among the nodes sharing the engine). */
    public String nodeId() {
        return nodeId;
    }

    /** False on the memory engine: one node, and services may skip what only other nodes need. */
    public boolean clustered() {
        return clustered;
    }

    /** Entries that expire unless refreshed, in the services' own namespace. */
    public PresenceManager presence() {
        return presence;
    }

    /** Names with one owner each, cluster-wide. */
    public Claims claims() {
        return claims;
    }

    /** The topic that reaches node {@code node} only (it subscribes to its own when a service asks for it). */
    public static JsonKey nodeTopic(String node) {
        return JsonKey.of("node:" + node);
    }

    /** The ids of the nodes alive now, this one included. Any thread. */
    public Set<String> liveNodes() {
        return live.live();
    }

    /**
     * Makes {@code handler} receive {@code topic}'s events; {@code onLoop} is called once events published after it
     * will be received (or with a failure, and then the handler is not added).
     */
    public void subscribe(JsonKey topic, Consumer<JsonNode> handler, BiConsumer<Void, Throwable> onLoop) {
        loop.checkInLoop();
        List<Consumer<JsonNode>> current = handlers.get(topic);
        if (current != null) {
            current.add(handler);
            onLoop.accept(null, null);
            return;
        }
        List<Consumer<JsonNode>> added = new ArrayList<>(2);
        added.add(handler);
        handlers.put(topic, added);
        broker.subscribe(topic, (ok, failure) -> {
            if (failure != null) {
                List<Consumer<JsonNode>> now = handlers.get(topic);
                if (now != null) {
                    now.remove(handler);
                    if (now.isEmpty()) {
                        handlers.remove(topic);
                    }
                }
            }
            onLoop.accept(null, failure);
        });
    }

    /** Stops {@code handler} receiving {@code topic}; the node unsubscribes after the topic's last handler. */
    public void unsubscribe(JsonKey topic, Consumer<JsonNode> handler) {
        loop.checkInLoop();
        List<Consumer<JsonNode>> current = handlers.get(topic);
        if (current != null && current.remove(handler) && current.isEmpty()) {
            handlers.remove(topic);
            broker.unsubscribe(topic);
        }
    }

    /** True while some handler of this node receives {@code topic}. */
    public boolean subscribed(JsonKey topic) {
        return handlers.containsKey(topic);
    }

    /** Publishes {@code event} to every node receiving {@code topic}; {@code onLoop} once the engine took it. */
    public void publish(JsonKey topic, JsonNode event, BiConsumer<Void, Throwable> onLoop) {
        broker.publish(topic, event, PublishOptions.LIVE_ONLY, (result, failure) -> onLoop.accept(null, failure));
    }

    /** Publishes with options (a history to recover from, an idempotency key). */
    public void publish(JsonKey topic, JsonNode event, PublishOptions options,
            BiConsumer<PublishResult, Throwable> onLoop) {
        broker.publish(topic, event, options, onLoop);
    }

    /** Reads a topic's history (for topics published with one). */
    public void history(JsonKey topic, HistoryQuery query, BiConsumer<HistoryResult, Throwable> onLoop) {
        broker.history(topic, query, onLoop);
    }

    /** {@code onLoop} is told the id of every node found dead (its heartbeats stopped), once per death. */
    public void onNodeDown(Consumer<String> onLoop) {
        nodeDown.add(onLoop);
    }

    /** {@code onLoop} runs whenever this node may have missed events or been given up by the other nodes. */
    public void onResync(Runnable onLoop) {
        resync.add(onLoop);
    }

    /** The engine found {@code node} dead. On the loop. */
    public void nodeDown(String node) {
        log.info("cluster: node {} is down; its services' state is released", node);
        for (Consumer<String> listener : List.copyOf(nodeDown)) {
            run(() -> listener.accept(node));
        }
    }

    /** The engine says this node may have missed events. On the loop. */
    public void resync(String why) {
        if (resync.isEmpty()) {
            return;
        }
        log.info("cluster: services re-announce their state ({})", why);
        for (Runnable listener : List.copyOf(resync)) {
            run(listener);
        }
    }

    private void dispatch(JsonKey topic, JsonNode event) {
        List<Consumer<JsonNode>> current = handlers.get(topic);
        if (current == null) {
            return; // unsubscribed meanwhile
        }
        for (Consumer<JsonNode> handler : current.size() == 1 ? current : List.copyOf(current)) {
            run(() -> handler.accept(event));
        }
    }

    /** One service's failure must not keep the event from the others. */
    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("cluster: a service failed handling an event; the others still get it", e);
        }
    }

    @Override
    public void close() {
        broker.close();
        presence.close();
    }

    /** The nodes sharing the engine. */
    @FunctionalInterface
    public interface LiveNodes {
        Set<String> live();
    }
}
