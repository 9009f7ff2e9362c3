package io.squall.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.api.ClaimOwner;
import io.squall.api.Cluster;
import io.squall.api.JsonKey;
import io.squall.api.ServiceError;
import io.squall.core.broker.PresenceInfo;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.loop.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@link Cluster} over the engine's {@link ServiceBus}, in a namespace of the service's own: its node topics are
 * {@code api:<service>:node:<id>} and its claims the space {@code api:<service>}, apart from the built-in services'
 * and every other service's. A claim's owner is {@code {"node":<id>}}, with {@code "tag"} when the service gave one.
 * At {@link #stop} the service stops receiving and hears of no more node deaths or resyncs; answers still on their
 * way are delivered (a release at shutdown needs its answer).
 */
final class ApiCluster implements Cluster {
    private final EventLoop loop;
    private final ServiceBus bus;
    private final ObjectMapper mapper;
    private final String prefix;
    private final JsonKey space;
    private final ObjectNode self;
    private final List<Consumer<JsonNode>> receivers = new ArrayList<>();
    /** loop-owned: per topic, each handler the service gave and the guarded one the bus holds */
    private final Map<JsonKey, Map<Consumer<JsonNode>, Consumer<JsonNode>>> topics = new HashMap<>();
    private boolean stopped;

    ApiCluster(EventLoop loop, ServiceBus bus, ObjectMapper mapper, String service) {
        this.loop = loop;
        this.bus = bus;
        this.mapper = mapper;
        this.prefix = "api:" + service;
        this.space = JsonKey.of(prefix);
        this.self = mapper.createObjectNode().put("node", bus.nodeId());
    }

    @Override
    public String nodeId() {
        return bus.nodeId();
    }

    @Override
    public boolean clustered() {
        return bus.clustered();
    }

    @Override
    public Set<String> liveNodes() {
        return bus.liveNodes();
    }

    private JsonKey topicOf(String node) {
        return JsonKey.of(prefix + ":node:" + node);
    }

    @Override
    public void receive(Consumer<JsonNode> handler, Consumer<ServiceError> ready) {
        loop.checkInLoop();
        if (stopped) {
            ready.accept(ServiceError.UNAVAILABLE);
            return;
        }
        Consumer<JsonNode> guarded = message -> {
            if (!stopped) {
                handler.accept(message);
            }
        };
        bus.subscribe(topicOf(bus.nodeId()), guarded, (ok, failure) -> {
            if (failure == null) {
                receivers.add(guarded);
                if (stopped) { // stopped while subscribing
                    bus.unsubscribe(topicOf(bus.nodeId()), guarded);
                }
            }
            ready.accept(ApiFailures.of(failure, prefix + " receive"));
        });
    }

    @Override
    public void send(String node, Object message, Consumer<ServiceError> onLoop) {
        loop.checkInLoop();
        bus.publish(topicOf(node), mapper.valueToTree(message), (ok, failure) ->
                onLoop.accept(ApiFailures.of(failure, prefix + " send to " + node)));
    }

    @Override
    public void claim(String name, Duration ttl, BiConsumer<Boolean, ServiceError> onLoop) {
        loop.checkInLoop();
        bus.claims().claim(space, name, self, ttl, (held, failure) ->
                onLoop.accept(failure == null && Boolean.TRUE.equals(held), ApiFailures.of(failure, prefix + " claim")));
    }

    @Override
    public void subscribe(JsonKey topic, Consumer<JsonNode> handler, Consumer<ServiceError> ready) {
        loop.checkInLoop();
        if (stopped) {
            ready.accept(ServiceError.UNAVAILABLE);
            return;
        }
        JsonKey key = inSpace(":topic", topic);
        Consumer<JsonNode> guarded = message -> {
            if (!stopped) {
                handler.accept(message);
            }
        };
        bus.subscribe(key, guarded, (ok, failure) -> {
            if (failure == null) {
                topics.computeIfAbsent(key, k -> new HashMap<>()).put(handler, guarded);
                if (stopped) { // stopped while subscribing
                    bus.unsubscribe(key, guarded);
                }
            }
            ready.accept(ApiFailures.of(failure, prefix + " subscribe"));
        });
    }

    @Override
    public void unsubscribe(JsonKey topic, Consumer<JsonNode> handler) {
        loop.checkInLoop();
        JsonKey key = inSpace(":topic", topic);
        Map<Consumer<JsonNode>, Consumer<JsonNode>> handlers = topics.get(key);
        Consumer<JsonNode> guarded = handlers == null ? null : handlers.remove(handler);
        if (guarded != null) {
            if (handlers.isEmpty()) {
                topics.remove(key);
            }
            bus.unsubscribe(key, guarded);
        }
    }

    @Override
    public void publish(JsonKey topic, Object message, Consumer<ServiceError> onLoop) {
        loop.checkInLoop();
        bus.publish(inSpace(":topic", topic), mapper.valueToTree(message), (ok, failure) ->
                onLoop.accept(ApiFailures.of(failure, prefix + " publish")));
    }

    @Override
    public Duration entryTtl() {
        return bus.presence().ttl();
    }

    @Override
    public void putEntry(JsonKey group, String id, JsonNode value, Consumer<ServiceError> onLoop) {
        loop.checkInLoop();
        bus.presence().add(inSpace(":entries", group), new PresenceInfo(id, value == null || value.isNull() ? null : value),
                (ok, failure) -> onLoop.accept(ApiFailures.of(failure, prefix + " put entry")));
    }

    @Override
    public void removeEntry(JsonKey group, String id, Consumer<ServiceError> onLoop) {
        loop.checkInLoop();
        bus.presence().remove(inSpace(":entries", group), id, (ok, failure) ->
                onLoop.accept(ApiFailures.of(failure, prefix + " remove entry")));
    }

    @Override
    public void entries(JsonKey group, BiConsumer<Map<String, JsonNode>, ServiceError> onLoop) {
        loop.checkInLoop();
        bus.presence().presence(inSpace(":entries", group), (entries, failure) -> {
            Map<String, JsonNode> values = new HashMap<>();
            if (failure == null) {
                entries.forEach((id, info) -> values.put(id,
                        info.identity() == null ? NullNode.getInstance() : info.identity()));
            }
            onLoop.accept(values, ApiFailures.of(failure, prefix + " entries"));
        });
    }

    /** A key of this service's own: {@code ["api:<service><kind>", key]}, apart from every other service's. */
    private JsonKey inSpace(String kind, JsonKey key) {
        return JsonKey.of(mapper.createArrayNode().add(prefix + kind).add(key.value()));
    }

    @Override
    public void claim(String name, JsonNode tag, Duration ttl, BiConsumer<Boolean, ServiceError> onLoop) {
        loop.checkInLoop();
        bus.claims().claim(space, name, owned(tag), ttl, (held, failure) ->
                onLoop.accept(failure == null && Boolean.TRUE.equals(held), ApiFailures.of(failure, prefix + " claim")));
    }

    @Override
    public void release(String name, JsonNode tag, BiConsumer<Boolean, ServiceError> onLoop) {
        loop.checkInLoop();
        bus.claims().release(space, name, owned(tag), (released, failure) -> onLoop.accept(
                failure == null && Boolean.TRUE.equals(released), ApiFailures.of(failure, prefix + " release")));
    }

    @Override
    public void holder(String name, BiConsumer<Optional<ClaimOwner>, ServiceError> onLoop) {
        loop.checkInLoop();
        bus.claims().owner(space, name, (owner, failure) -> onLoop.accept(
                failure == null ? ownerOf(owner) : Optional.empty(), ApiFailures.of(failure, prefix + " holder")));
    }

    @Override
    public void claims(BiConsumer<Map<String, ClaimOwner>, ServiceError> onLoop) {
        loop.checkInLoop();
        bus.claims().all(space, (all, failure) -> {
            Map<String, ClaimOwner> owners = new HashMap<>();
            if (failure == null) {
                all.forEach((name, owner) -> ownerOf(owner).ifPresent(found -> owners.put(name, found)));
            }
            onLoop.accept(owners, ApiFailures.of(failure, prefix + " claims"));
        });
    }

    @Override
    public void takeOver(String name, JsonNode tag, Duration ttl, Consumer<ServiceError> onLoop) {
        loop.checkInLoop();
        bus.claims().put(space, name, owned(tag), ttl, (ok, failure) ->
                onLoop.accept(ApiFailures.of(failure, prefix + " take over")));
    }

    /** This node's owner value: {@code {"node":id}}, with {@code "tag"} for a tagged claim. */
    private ObjectNode owned(JsonNode tag) {
        if (tag == null || tag.isNull()) {
            return self;
        }
        ObjectNode owner = self.deepCopy();
        owner.set("tag", tag);
        return owner;
    }

    @Override
    public void owner(String name, BiConsumer<Optional<String>, ServiceError> onLoop) {
        loop.checkInLoop();
        bus.claims().owner(space, name, (owner, failure) -> onLoop.accept(
                failure == null ? nodeOf(owner) : Optional.empty(), ApiFailures.of(failure, prefix + " owner")));
    }

    @Override
    public void release(String name, BiConsumer<Boolean, ServiceError> onLoop) {
        loop.checkInLoop();
        bus.claims().release(space, name, self, (released, failure) -> onLoop.accept(
                failure == null && Boolean.TRUE.equals(released), ApiFailures.of(failure, prefix + " release")));
    }

    @Override
    public void releaseNode(String node, BiConsumer<Integer, ServiceError> onLoop) {
        loop.checkInLoop();
        bus.claims().releaseNode(space, node, (freed, failure) -> onLoop.accept(
                failure == null && freed != null ? freed : 0, ApiFailures.of(failure, prefix + " release of " + node)));
    }

    @Override
    public void onNodeDown(Consumer<String> onLoop) {
        bus.onNodeDown(node -> {
            if (!stopped) {
                onLoop.accept(node);
            }
        });
    }

    @Override
    public void onResync(Runnable onLoop) {
        bus.onResync(() -> {
            if (!stopped) {
                onLoop.run();
            }
        });
    }

    /** The service stopped: no more messages, deaths or resyncs reach it. Loop thread. */
    void stop() {
        stopped = true;
        receivers.forEach(handler -> bus.unsubscribe(topicOf(bus.nodeId()), handler));
        receivers.clear();
        topics.forEach((topic, handlers) -> handlers.values().forEach(handler -> bus.unsubscribe(topic, handler)));
        topics.clear();
    }

    private static Optional<ClaimOwner> ownerOf(JsonNode owner) {
        return nodeOf(owner).map(node -> new ClaimOwner(node, owner.has("tag") ? owner.get("tag") : null));
    }

    private static Optional<String> nodeOf(JsonNode owner) {
        return owner == null || !owner.path("node").isTextual() ? Optional.empty()
                : Optional.of(owner.path("node").textValue());
    }
}
