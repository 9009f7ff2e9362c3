package io.squall.core.service.datasync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.broker.BrokerFailures;
import io.squall.core.broker.HistoryPolicy;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.PublishOptions;
import io.squall.core.cluster.Claims;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.error.ErrorName;
import io.squall.api.JsonKey;
import io.squall.core.loop.Cancellable;
import io.squall.core.loop.EventLoop;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DataSync over a clustered engine, so a token authorized on any node is acquired on any node and every delta reaches
 * every subscription wherever its client is connected.
 *
 * <ul>
 *   <li><b>Tokens</b> are claims ({@code ["datasync", service, "tokens"]}) expiring after the token expiry; each
 *       holds the items and the deltas topic's position when it was authorized. An acquire takes it (one-time) after
 *       claiming the token in {@code ["datasync", service, "acquired"]} for its node and connection, so a second
 *       acquire anywhere is "Already acquired".</li>
 *   <li><b>Deltas</b> go out on one topic with a history ({@code historySize} {@code publishDeltas} calls, kept the
 *       token expiry after the latest); every node routes them through its own dealers to its own subscriptions, in
 *       the engine's order.</li>
 *   <li><b>An acquire</b> replays the topic since the token's position through the dealers (what one node would
 *       have buffered, within the same bound), then the deltas that arrived live meanwhile, minus those the history
 *       already held (each publication has an id), then answers. A history that no longer reaches back is answered
 *       "Too many deltas", never a silent gap.</li>
 *   <li>The authorizing node counts its pending tokens ({@code datasync.max.pending} is per node) until told of the
 *       acquire on its node topic, or until the expiry.</li>
 * </ul>
 */
final class DataSyncCluster {
    private static final Logger log = LoggerFactory.getLogger(DataSyncCluster.class);
    private static final int PAGE = 256;
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final DataSyncService service;
    private final ServiceBus bus;
    private final EventLoop loop;
    private final Claims claims;
    private final JsonKey deltas;
    private final JsonKey tokens;
    private final JsonKey acquired;
    private final PublishOptions withHistory;
    private final int historySize;
    private final Tokens tokenMaker = new Tokens();
    /** publication ids: unique across nodes and restarts (a random prefix), so a replay can drop what it saw twice */
    private final String idPrefix;
    private long published;
    private long acquisitions;
    /** tokens this node's backend authorized, until acquired (anywhere) or expired; null while being stored */
    private final Map<String, Cancellable> authorized = new HashMap<>();
    private final Map<Subscription, Replay> replays = new LinkedHashMap<>();
    /** what each subscription of this node holds its "acquired" claim as */
    private final Map<Subscription, JsonNode> owners = new HashMap<>();

    DataSyncCluster(DataSyncService service, ServiceBus bus, int historySize) {
        this.service = service;
        this.bus = bus;
        this.loop = service.serviceContext().loop();
        this.claims = bus.claims();
        this.deltas = key(service.name(), "deltas");
        this.tokens = key(service.name(), "tokens");
        this.acquired = key(service.name(), "acquired");
        this.historySize = historySize;
        Duration keep = service.limits.tokenExpiry().plus(Duration.ofSeconds(10)); // outlives any pending token
        this.withHistory = PublishOptions.of(new HistoryPolicy(historySize, keep));
        this.idPrefix = tokenMaker.next(t -> false).substring(0, 12) + ":";
        loop.executeCritical(() -> {
            listen(deltas, this::onDeltas);
            listen(ServiceBus.nodeTopic(bus.nodeId()), this::onNodeEvent);
        });
        bus.onNodeDown(this::nodeDown);
        bus.onResync(this::resync);
    }

    private JsonKey key(String service, String part) {
        ArrayNode key = this.service.nodes.arrayNode().add("datasync").add(service).add(part);
        return JsonKey.of(key);
    }

    /** Subscribes, retrying while the engine is unreachable (a node may start before Redis). */
    private void listen(JsonKey topic, Consumer<JsonNode> handler) {
        bus.subscribe(topic, handler, (ok, failure) -> {
            if (failure != null) {
                log.warn("datasync: cannot subscribe to {} yet ({}); retrying", topic, failure.toString());
                loop.schedule(RETRY, () -> listen(topic, handler));
            }
        });
    }

    int pending() {
        return authorized.size();
    }

    int replays() {
        return replays.size();
    }

    // ---- authorize and publish (the backend's node)

    void authorize(Request request, ArrayNode items) {
        if (authorized.size() >= service.limits.maxPendingSubscriptions()) {
            throw new RpcException(ErrorName.TOO_MANY_PENDING);
        }
        String token = tokenMaker.next(authorized::containsKey);
        authorized.put(token, null); // counted while stored
        bus.history(deltas, HistoryQuery.POSITION_ONLY, (result, failure) -> {
            if (failure != null) {
                authorized.remove(token);
                request.error(errorOf(failure));
                return;
            }
            ObjectNode value = service.nodes.objectNode().put("node", bus.nodeId());
            value.set("items", items);
            value.put("offset", result.position().offset()).put("epoch", result.position().epoch());
            claims.claim(tokens, token, value, service.limits.tokenExpiry(), (stored, failed) -> {
                if (failed != null || !stored) { // not stored: a clash of 165 random bits; never seen
                    authorized.remove(token);
                    request.error(failed != null ? errorOf(failed) : ErrorName.INTERNAL_ERROR);
                    return;
                }
                authorized.put(token, loop.schedule(service.limits.tokenExpiry(), () -> expired(token)));
                request.reply(token);
            });
        });
    }

    private void expired(String token) {
        if (authorized.remove(token) != null) {
            service.meters.expired.increment();
        }
    }

    void publish(Request request, List<Delta> list) {
        ObjectNode event = service.nodes.objectNode().put("id", idPrefix + ++published);
        ArrayNode array = event.putArray("deltas");
        list.forEach(delta -> array.add(delta.toJson(service.nodes)));
        bus.publish(deltas, event, withHistory, (result, failure) -> {
            if (failure != null) {
                request.error(errorOf(failure));
            } else {
                request.reply(null);
            }
        });
    }

    /** A publication, on every node in the engine's order: to this node's subscriptions and to its replays. */
    private void onDeltas(JsonNode event) {
        List<Delta> list;
        try {
            list = DeltaParser.parse(event.path("deltas"));
        } catch (RpcException e) {
            log.warn("datasync: a publication on the bus is not deltas; ignored: {}", event);
            return;
        }
        for (Replay replay : List.copyOf(replays.values())) {
            if (!replay.live(event)) {
                fail(replay, ErrorName.TOO_MANY_DELTAS);
            }
        }
        service.deliverAll(list);
    }

    private void onNodeEvent(JsonNode event) {
        if ("datasync".equals(event.path("service").asText()) && service.name().equals(event.path("name").asText())) {
            Cancellable expiry = authorized.remove(event.path("acquired").asText());
            if (expiry != null) {
                expiry.cancel();
            }
        }
    }

    // ---- acquire (the browser's node)

    /** {@code subscription} is registered to the request's client, replaying; answers the request in the end. */
    void acquire(Request request, Subscription subscription) {
        ObjectNode owner = service.nodes.objectNode().put("node", bus.nodeId())
                .put("conn", bus.nodeId() + "/" + ++acquisitions);
        owners.put(subscription, owner);
        claims.claim(acquired, subscription.token, owner, service.limits.tokenExpiry(), (won, failure) -> {
            if (!service.holds(subscription)) {
                return; // cancelled or disconnected meanwhile: removed() released the claim
            }
            if (failure != null || !won) {
                if (failure == null) {
                    owners.remove(subscription); // another's claim: not ours to release
                }
                abandon(subscription, request, failure != null ? errorOf(failure) : ErrorName.ALREADY_ACQUIRED);
                return;
            }
            claims.take(tokens, subscription.token, (value, failed) -> taken(request, subscription, value, failed));
        });
    }

    private void taken(Request request, Subscription subscription, JsonNode value, Throwable failure) {
        if (!service.holds(subscription)) {
            return;
        }
        if (failure != null || value == null) {
            abandon(subscription, request, failure != null ? errorOf(failure) : ErrorName.NO_SUCH_SUBSCRIPTION);
            return;
        }
        String authorizer = value.path("node").asText();
        if (authorizer.equals(bus.nodeId())) {
            onNodeEvent(service.nodes.objectNode().put("service", "datasync").put("name", service.name())
                    .put("acquired", subscription.token));
        } else {
            bus.publish(ServiceBus.nodeTopic(authorizer), service.nodes.objectNode().put("service", "datasync")
                    .put("name", service.name()).put("acquired", subscription.token), (ok, lost) -> { });
        }
        for (JsonNode item : value.path("items")) {
            String dealer = item.path("dealer").asText();
            if (service.dealers.byName(dealer) == null) { // this node was configured without it
                abandon(subscription, request, ErrorName.NO_SUCH_DEALER);
                return;
            }
            subscription.addItem(dealer, item.get("query"));
        }
        service.dealers.connect(subscription);
        Replay replay = new Replay(service, subscription, request, value.path("offset").asLong(),
                value.path("epoch").asText(), historySize);
        replays.put(subscription, replay);
        readHistory(replay);
    }

    private void readHistory(Replay replay) {
        replay.resynced = false;
        bus.history(deltas, new HistoryQuery(replay.offset, PAGE, false), (result, failure) -> {
            if (replays.get(replay.subscription) != replay) {
                return;
            }
            if (failure != null) {
                fail(replay, errorOf(failure));
                return;
            }
            if (!replay.page(result)) {
                log.info("datasync: a replay failed: its history is lost or over its bound");
                fail(replay, ErrorName.TOO_MANY_DELTAS);
                return;
            }
            if (result.publications().size() == PAGE || replay.resynced) {
                readHistory(replay); // more to read, or live deltas may have been missed meanwhile
                return;
            }
            if (!replay.finish()) {
                fail(replay, ErrorName.TOO_MANY_DELTAS);
                return;
            }
            replays.remove(replay.subscription);
            replay.frames.forEach(frame -> service.sendTo(replay.subscription, frame));
            replay.subscription.replaying(false);
            replay.request.reply(null);
        });
    }

    private void fail(Replay replay, ErrorName error) {
        if (error == ErrorName.TOO_MANY_DELTAS) {
            service.meters.overflowed.increment();
        }
        abandon(replay.subscription, replay.request, error);
    }

    private void abandon(Subscription subscription, Request request, ErrorName error) {
        service.remove(subscription);
        request.error(error);
    }

    /** Called by the service as it forgets a subscription of this node. */
    void removed(Subscription subscription) {
        replays.remove(subscription);
        JsonNode owner = owners.remove(subscription);
        if (owner != null) {
            claims.release(acquired, subscription.token, owner, (released, failure) -> { });
        }
    }

    // ---- nodes and the engine

    private void nodeDown(String node) {
        // its subscriptions died with it; their "acquired" claims go now rather than at their expiry
        claims.releaseNode(acquired, node, (count, failure) -> {
            if (failure == null && count > 0) {
                log.info("datasync: released {} subscription(s) of dead node {}", count, node);
            }
        });
    }

    /**
     * This node may have missed deltas: its acquired subscriptions may have a hole no client could see, so each is
     * dropped and its client told ({@code unsubscribed}, 2500); a replay reads the history once more instead.
     */
    private void resync() {
        replays.values().forEach(replay -> replay.resynced = true);
        for (Subscription subscription : service.subscriptions()) {
            if (subscription.isReplaying() || !service.holds(subscription)) {
                continue;
            }
            ObjectNode message = service.nodes.objectNode().put("type", "unsubscribed")
                    .put("token", subscription.token).put("code", 2500).put("reason", "Insufficient state");
            service.sendTo(subscription, service.serviceContext().codec().encode(service.name(), message));
            service.remove(subscription);
        }
    }

    private static ErrorName errorOf(Throwable failure) {
        return BrokerFailures.errorName("datasync", failure);
    }
}
