package io.squall.core.service.datasync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
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
 * nobody acquires expires. Closing a connection cancels its subscriptions.
 */
public final class DataSyncService extends RpcService {
    private final Dealers dealers;
    private final DataSyncLimits limits;
    private final Tokens tokens = new Tokens();
    private final Map<String, Subscription> byToken = new HashMap<>();
    private final Map<Client, Set<Subscription>> byClient = new HashMap<>();
    private final JsonNodeFactory nodes;
    private final DataSyncMeters meters;
    private int pending;

    public DataSyncService(String name, ServiceContext context, Collection<? extends Dealer> dealers,
            DataSyncLimits limits) {
        super(name, context);
        this.dealers = new Dealers(dealers);
        this.limits = limits;
        this.nodes = context.codec().mapper().getNodeFactory();
        this.meters = new DataSyncMeters(context.metrics().registry(), name, () -> pending,
                () -> byToken.size() - pending);
        commands()
                .add("acquireSubscription", TokenParams.class, this::acquireSubscription)
                .add("cancelSubscription", TokenParams.class, this::cancelSubscription);
    }

    private Object acquireSubscription(Request request, TokenParams params) {
        Client client = request.client();
        Subscription subscription = byToken.get(token(params));
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
        Set<Subscription> owned = byClient.get(client);
        if (owned != null && owned.size() >= limits.maxSubscriptionsPerClient()) {
            throw new RpcException(ErrorName.TOO_MANY_SUBSCRIPTIONS);
        }
        context.budget().hold(client, Utf8Length.of(subscription.token)); // released by remove
        List<EncodedMessage> buffered = subscription.acquire(client);
        pending--;
        byClient.computeIfAbsent(client, c -> new LinkedHashSet<>()).add(subscription);
        buffered.forEach(frame -> send(client, frame)); // before the reply, as Snorky
        return null;
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
    String authorize(JsonNode items) {
        context.loop().checkInLoop();
        if (items == null || !items.isArray()) {
            throw new RpcException(ErrorName.INVALID_PARAMS);
        }
        if (pending >= limits.maxPendingSubscriptions()) {
            throw new RpcException(ErrorName.TOO_MANY_PENDING);
        }
        Subscription subscription = new Subscription(tokens.next(byToken::containsKey));
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
            subscription.addItem(dealer.name(), query);
        }
        byToken.put(subscription.token, subscription);
        pending++;
        dealers.connect(subscription);
        subscription.expireWith(context.loop().schedule(limits.tokenExpiry(), () -> expire(subscription)));
        return subscription.token;
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
        for (Delta delta : deltas) {
            Map<Delta, EncodedMessage> frames = new IdentityHashMap<>(4);
            DeltaRouter.route(dealers.forModel(delta.model()), delta).forEach((subscription, routed) ->
                    deliver(subscription, frames.computeIfAbsent(routed, this::encode)));
        }
    }

    private EncodedMessage encode(Delta delta) {
        ObjectNode message = nodes.objectNode().put("type", "delta");
        message.set("delta", delta.toJson(nodes));
        return context.codec().encode(name(), message);
    }

    private void deliver(Subscription subscription, EncodedMessage frame) {
        if (subscription.isAcquired()) {
            send(subscription.client(), frame);
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

    /** Forgets a subscription entirely: its dealer items, its token, its timer, its client link. */
    private void remove(Subscription subscription) {
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

    /** How many entries each internal map holds: all zero once every client has gone and every token expired. */
    public Map<String, Integer> stateSizes() {
        return Map.of("subscriptions", byToken.size(), "clients", byClient.size(), "pending", pending,
                "dealerItems", dealers.itemCount());
    }
}
