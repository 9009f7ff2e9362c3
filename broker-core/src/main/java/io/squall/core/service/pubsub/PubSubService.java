package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.index.TwoWayIndex;
import io.squall.core.json.JsonKey;
import io.squall.core.protocol.EncodedMessage;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import io.squall.core.rpc.RpcService;

/**
 * Snorky's PubSub: {@code subscribe}, {@code unsubscribe}, {@code publish} on channels that are any JSON value.
 * A publication is encoded once and the same bytes go to every subscriber (the publisher too, if subscribed).
 */
public final class PubSubService extends RpcService {
    private final TwoWayIndex<JsonKey, Client> subscriptions = new TwoWayIndex<>();
    private final ChannelPolicy policy;
    private final int maxSubscriptionsPerClient;

    public PubSubService(String name, ServiceContext context, ChannelPolicy policy, int maxSubscriptionsPerClient) {
        super(name, context);
        if (maxSubscriptionsPerClient < 1) {
            throw new IllegalArgumentException("maxSubscriptionsPerClient must be positive: " + maxSubscriptionsPerClient);
        }
        this.policy = policy;
        this.maxSubscriptionsPerClient = maxSubscriptionsPerClient;
        commands()
                .add("subscribe", SubscribeParams.class, this::subscribe)
                .add("unsubscribe", SubscribeParams.class, this::unsubscribe)
                .add("publish", PublishParams.class, PublishParams::bind, this::publishFromClient);
    }

    private Object subscribe(Request request, SubscribeParams params) {
        JsonKey channel = JsonKey.of(params.channel());
        Client client = request.client();
        if (subscriptions.contains(channel, client)) {
            throw new RpcException(Errors.ALREADY_SUBSCRIBED);
        }
        if (subscriptions.countKeysOf(client) >= maxSubscriptionsPerClient) {
            throw new RpcException(Errors.TOO_MANY_SUBSCRIPTIONS);
        }
        if (!policy.maySubscribe(client, channel)) {
            throw new RpcException(Errors.NOT_AUTHORIZED);
        }
        subscriptions.add(channel, client);
        return null;
    }

    private Object unsubscribe(Request request, SubscribeParams params) {
        if (!subscriptions.remove(JsonKey.of(params.channel()), request.client())) {
            throw new RpcException(Errors.NOT_SUBSCRIBED);
        }
        return null;
    }

    private Object publishFromClient(Request request, PublishParams params) {
        if (!policy.mayPublish(request.client(), JsonKey.of(params.channel()))) {
            throw new RpcException(Errors.NOT_AUTHORIZED);
        }
        publish(params.channel(), params.message());
        return null;
    }

    /**
     * Delivers {@code message} to every subscriber of {@code channel}, bypassing the policy (the backend's path).
     * Loop thread only.
     *
     * @return the number of subscribers it was sent to
     */
    public int publish(JsonNode channel, JsonNode message) {
        context.loop().checkInLoop();
        var subscribers = subscriptions.valuesOf(JsonKey.of(channel));
        if (subscribers.isEmpty()) {
            return 0;
        }
        ObjectNode notification = context.codec().mapper().createObjectNode().put("type", "message");
        notification.set("channel", channel);
        notification.set("message", message);
        EncodedMessage encoded = context.codec().encode(name(), notification);
        for (Client subscriber : subscribers) {
            subscriber.send(encoded);
        }
        context.metrics().messagesOut(name()).increment(subscribers.size());
        return subscribers.size();
    }

    @Override
    public void onDisconnect(Client client) {
        subscriptions.removeValue(client);
    }

    /** Number of subscribers of {@code channel}. */
    public int subscriberCount(JsonNode channel) {
        return subscriptions.countValuesOf(JsonKey.of(channel));
    }

    /** Number of channels with at least one subscriber. */
    public int channelCount() {
        return subscriptions.keyCount();
    }

    /** Number of clients with at least one subscription. */
    public int subscribedClientCount() {
        return subscriptions.valueCount();
    }
}
