package io.squall.core.service.datasync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.error.ErrorName;
import io.squall.core.json.Utf8Length;
import io.squall.core.protocol.EncodedMessage;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import io.squall.core.rpc.RpcService;
import io.squall.core.service.datasync.dealer.Dealer;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Snorky's DataSync, the public half: browsers acquire the subscriptions their web app authorized (through
 * {@link DataSyncBackendService}) and receive the deltas of the rows those subscriptions cover. Deltas published
 * before the acquire wait in the subscription's bounded buffer and go out before the acquire's reply; a token
 * nobody acquires expires. Closing a connection cancels its subscriptions. On a clustered engine
 * {@link DataSyncCluster} keeps the tokens and the deltas in the engine, so any node serves any token; on the memory
 * engine everything stays in this object, as it always did.
 */
public final class DataSyncService extends RpcService {
    final Dealers dealers;
    final DataSyncLimits limits;
    private final Tokens tokens = new Tokens();
    /** every subscription of this node (on a clustered engine: only the acquired ones; pending ones are shared) */
    private final Map<String, Subscription> byToken = new HashMap<>();
    private final Map<Client, Set<Subscription>> byClient = new HashMap<>();
    final JsonNodeFactory nodes;
    final DataSyncMeters meters;
    /** null on the memory engine */
    private final DataSyncCluster cluster;
    private int pending;

    /** One node: on the memory engine. */
    public DataSyncService(String name, ServiceContext context, Collection<? extends Dealer> dealers,
            DataSyncLimits limits) {
        this(name, context, dealers, limits, null, 0);
    }

    /**
     * @param bus the engine's service bus; a clustered one shares tokens and deltas with the other nodes
     * @param historySize {@code publishDeltas} calls the engine keeps for subscriptions acquired on another node
     */
    public DataSyncService(String name, ServiceContext context, Collection<? extends Dealer> dealers,
            DataSyncLimits limits, ServiceBus bus, int historySize) {
        super(name, context);
        this.dealers = new Dealers(dealers);
        this.limits = limits;
        this.nodes = context.codec().mapper().getNodeFactory();
        this.meters = new DataSyncMeters(context.metrics().registry(), name, this::pending, this::acquired);
        this.cluster = bus != null && bus.clustered() ? new DataSyncCluster(this, bus, historySize) : null;
        commands()
                .addAsync("acquireSubscription", TokenParams.class, this::acquireSubscription)
                .add("cancelSubscription", TokenParams.class, this::cancelSubscription);
    }

    private int pending() {
        return cluster == null ? pending : cluster.pending();
    }

    private int acquired() {
        return cluster == null ? byToken.size() - pending : byToken.size();
    }

    private void acquireSubscription(Request request, TokenParams params) {
        Client client = request.client();
        String token = token(params);
        Subscription subscription = byToken.get(token);
        if (cluster != null) {
            if (subscription != null) {
                throw new RpcException(ErrorName.ALREADY_ACQUIRED);
            }
            subscription = new Subscription(token);
            register(client, subscription); // reserved while the engine answers; it delivers nothing meanwhile
            subscription.replaying(true);
            cluster.acquire(request, subscription);
            return;
        }
        if (subscription == null) {
            throw new RpcException(ErrorName.NO_SUCH_SUBSCRIPTION);
        }
        if (subscription.isAcquired()) {
            throw new RpcException(ErrorName.ALREADY_ACQUIRED);
        }
        if (subscription.isOverflowed()) {
            remove(subscription);
            throw new RpcException(ErrorName.TOO_MANY_DELTAS);
        }
        List<EncodedMessage> buffered = register(client, subscription);
        pending--;
        buffered.forEach(frame -> send(client, frame)); // before the reply, as Snorky
        request.reply(null);
    }

    /** Binds {@code subscription} to {@code client} within its bounds; returns the frames it buffered. */
    private List<EncodedMessage> register(Client client, Subscription subscription) {
        Set<Subscription> owned = byClient.get(client);
        if (owned != null && owned.size() >= limits.maxSubscriptionsPerClient()) {
            throw new RpcException(ErrorName.TOO_MANY_SUBSCRIPTIONS);
        }
        context.budget().hold(client, Utf8Length.of(subscription.token)); // released by remove
        List<EncodedMessage> buffered = subscription.acquire(client);
        byToken.put(subscription.token, subscription);
        byClient.computeIfAbsent(client, c -> new LinkedHashSet<>()).add(subscription);
        return buffered;
    }

    /** True while {@code subscription} is still this node's (not cancelled, its client not gone). */
    boolean holds(Subscription subscription) {
        return byToken.get(subscription.token) == subscription;
    }

    private Object cancelSubscription(Request request, TokenParams params) {
        Subscription subscription = byToken.get(token(params));
        if (subscription == null || subscription.client() != request.client()) {
            throw new RpcException(ErrorName.NO_SUCH_SUBSCRIPTION); // nobody cancels another's subscription
        }
        remove(subscription);
        return null;
    }

    private String token(TokenParams params) {
        if (params.token() == null || !params.token().isTextual()) {
            throw new RpcException(ErrorName.TOKEN_MUST_BE_STRING);
        }
        context.budget().keyBytes(params.token().textValue());
        return params.token().textValue();
    }

    /**
     * Authorizes a subscription to {@code items} ({@code [{"dealer": name, "query": any}, ...]}) and returns its
     * token. Every item is checked before anything is registered, so a bad one leaves nothing behind.
     */
    void authorize(Request request, JsonNode items) {
        context.loop().checkInLoop();
        if (cluster != null) {
            cluster.authorize(request, checkItems(items));
            return;
        }
        ArrayNode checked = checkItems(items);
        if (pending >= limits.maxPendingSubscriptions()) {
            throw new RpcException(ErrorName.TOO_MANY_PENDING);
        }
        Subscription subscription = new Subscription(tokens.next(byToken::containsKey));
        for (JsonNode item : checked) {
            subscription.addItem(item.get("dealer").textValue(), item.get("query"));
        }
        byToken.put(subscription.token, subscription);
        pending++;
        dealers.connect(subscription);
        subscription.expireWith(context.loop().schedule(limits.tokenExpiry(), () -> expire(subscription)));
        request.reply(subscription.token);
    }

    /** The items as {@code [{"dealer","query"}]}, each checked; the first bad one is thrown. */
    private ArrayNode checkItems(JsonNode items) {
        if (items == null || !items.isArray()) {
            throw new RpcException(ErrorName.INVALID_PARAMS);
        }
        ArrayNode checked = nodes.arrayNode(items.size());
        for (JsonNode item : items) {
            if (!item.isObject()) {
                throw new RpcException(ErrorName.INVALID_PARAMS);
            }
            Dealer dealer = dealerOf(item);
            JsonNode query = item.get("query");
            if (query == null) {
                throw new RpcException(ErrorName.MISSING_FIELD_QUERY);
            }
            try {
                dealer.validate(query);
            } catch (IllegalArgumentException e) {
                throw new RpcException(ErrorName.INVALID_QUERY);
            }
            checked.addObject().put("dealer", dealer.name()).set("query", query);
        }
        return checked;
    }

    private Dealer dealerOf(JsonNode item) {
        JsonNode name = item.get("dealer");
        if (name == null) {
            throw new RpcException(ErrorName.MISSING_FIELD_DEALER);
        }
        if (!name.isTextual()) {
            throw new RpcException(ErrorName.DEALER_NOT_A_NAME);
        }
        Dealer dealer = dealers.byName(name.textValue());
        if (dealer == null) {
            throw new RpcException(ErrorName.NO_SUCH_DEALER);
        }
        return dealer;
    }

    /**
     * Delivers {@code deltas} in order. Every model is checked first: a delta for a model no dealer handles is
     * answered "No such model" and nothing is delivered.
     */
    public void publish(List<Delta> deltas) {
        context.loop().checkInLoop();
        for (Delta delta : deltas) {
            if (!dealers.hasModel(delta.model())) {
                throw new RpcException(ErrorName.NO_SUCH_MODEL);
            }
        }
        deliverAll(deltas);
    }

    /** {@code publishDeltas}: delivered here at once, or published to every node through the engine. */
    void publish(Request request, List<Delta> deltas) {
        if (cluster == null) {
            publish(deltas);
            request.reply(null);
            return;
        }
        for (Delta delta : deltas) {
            if (!dealers.hasModel(delta.model())) {
                throw new RpcException(ErrorName.NO_SUCH_MODEL);
            }
        }
        cluster.publish(request, deltas);
    }

    /** Routes each delta (of a model some dealer here handles) to the subscriptions it matches. */
    void deliverAll(List<Delta> deltas) {
        for (Delta delta : deltas) {
            if (!dealers.hasModel(delta.model())) {
                continue; // clustered: a node configured without this model (its own check refused it)
            }
            Map<Delta, EncodedMessage> frames = new IdentityHashMap<>(4);
            DeltaRouter.route(dealers.forModel(delta.model()), delta).forEach((subscription, routed) ->
                    deliver(subscription, frames.computeIfAbsent(routed, this::encode)));
        }
    }

    EncodedMessage encode(Delta delta) {
        ObjectNode message = nodes.objectNode().put("type", "delta");
        message.set("delta", delta.toJson(nodes));
        return context.codec().encode(name(), message);
    }

    private void deliver(Subscription subscription, EncodedMessage frame) {
        if (subscription.isAcquired()) {
            if (!subscription.isReplaying()) {
                send(subscription.client(), frame); // a replaying one gets it from its replay, in order
            }
        } else if (!subscription.isOverflowed() && !subscription.buffer(frame, limits.maxBufferedDeltas())) {
            dealers.disconnect(subscription); // collects nothing more; its acquire says "Too many deltas"
            meters.overflowed.increment();
        }
    }

    private void expire(Subscription subscription) {
        if (byToken.get(subscription.token) == subscription && !subscription.isAcquired()) {
            remove(subscription);
            meters.expired.increment();
        }
    }

    ServiceContext serviceContext() {
        return context;
    }

    /** Sends a frame to a subscription's client. */
    void sendTo(Subscription subscription, EncodedMessage frame) {
        send(subscription.client(), frame);
    }

    /** Forgets a subscription entirely: its dealer items, its token, its timer, its client link. */
    void remove(Subscription subscription) {
        if (cluster != null) {
            cluster.removed(subscription);
        }
        dealers.disconnect(subscription);
        byToken.remove(subscription.token);
        subscription.stopExpiry();
        Client client = subscription.client();
        if (client == null) {
            pending--;
            return;
        }
        Set<Subscription> owned = byClient.get(client);
        owned.remove(subscription);
        context.budget().release(client, Utf8Length.of(subscription.token));
        if (owned.isEmpty()) {
            byClient.remove(client);
        }
    }

    @Override
    public void onDisconnect(Client client) {
        Set<Subscription> owned = byClient.get(client);
        if (owned != null) {
            List.copyOf(owned).forEach(this::remove);
        }
    }

    /** The dealers, in registration order. */
    public Collection<Dealer> dealers() {
        return dealers.all();
    }

    /** The subscriptions acquired on this node (clustered: they lose what Redis lost and are dropped on resync). */
    List<Subscription> subscriptions() {
        return List.copyOf(byToken.values());
    }

    /** How many entries each internal map holds: all zero once every client has gone and every token expired. */
    public Map<String, Integer> stateSizes() {
        Map<String, Integer> sizes = new HashMap<>(Map.of("subscriptions", byToken.size(), "clients",
                byClient.size(), "pending", pending(), "dealerItems", dealers.itemCount()));
        if (cluster != null) {
            sizes.put("replays", cluster.replays());
        }
        return Map.copyOf(sizes);
    }
}
