package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.broker.Broker;
import io.squall.core.broker.BrokerEvents;
import io.squall.core.broker.BrokerFailures;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.HistoryResult;
import io.squall.core.broker.PresenceManager;
import io.squall.core.broker.Publication;
import io.squall.core.broker.PublishOptions;
import io.squall.core.broker.PublishResult;
import io.squall.core.broker.StreamPosition;
import io.squall.core.error.ErrorName;
import io.squall.api.TwoWayIndex;
import io.squall.api.JsonKey;
import io.squall.core.lifecycle.LifecycleEvents;
import io.squall.core.loop.OnDemandTimer;
import io.squall.core.protocol.EncodedMessage;
import io.squall.core.rpc.NoParams;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import io.squall.core.rpc.RpcService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snorky's PubSub ({@code subscribe}, {@code unsubscribe}, {@code publish} on channels that are any JSON value) on
 * the {@link Broker} seam, plus Squall's positions, recovery, {@code history} and {@code presence}. What the broker
 * delivers comes back through {@link #onPublication}, is encoded once per kind of subscriber (plain: Snorky's exact
 * frame; positioned: with the offset) and handed to every local subscriber. All on the loop.
 */
public final class PubSubService extends RpcService implements BrokerEvents {
    private static final Logger log = LoggerFactory.getLogger(PubSubService.class);
    /** after the broker's pub/sub link was rebuilt, positions are checked at once and once more this much later */
    private static final Duration RECHECK_DELAY = Duration.ofSeconds(1);

    /** every subscription, live or still being set up: what limits, unsubscribe and disconnect go by */
    private final TwoWayIndex<JsonKey, Client> subscriptions = new TwoWayIndex<>();
    private final Map<JsonKey, ChannelState> channels = new HashMap<>();
    private final PubSubStats stats = new PubSubStats(channels, subscriptions);
    private final ChannelPolicy policy;
    private final PubSubSettings settings;
    private final Broker broker;
    private final SubscriberPresence presence;
    private final PubSubMeters meters;
    private final OnDemandTimer positionChecks;
    private final ChannelReads reads;
    private final PositionedDelivery positioned;
    private LifecycleEvents lifecycle = LifecycleEvents.NONE;

    public PubSubService(String name, ServiceContext context, ChannelPolicy policy, PubSubSettings settings,
            Broker broker, PresenceManager presence) {
        super(name, context);
        this.policy = policy;
        this.settings = settings;
        this.broker = broker;
        this.presence = new SubscriberPresence(context.loop(), presence, settings.presenceRefreshInterval(),
                channels);
        this.positioned = new PositionedDelivery(name, context.codec(), this::endForInsufficientState);
        this.reads = new ChannelReads(name, context.codec(), policy, settings, broker, presence, context.budget());
        this.meters = new PubSubMeters(name, context.metrics().registry());
        commands()
                .addAsync("subscribe", SubscribeParams.class, SubscribeParams::bind, this::subscribe)
                .add("unsubscribe", ChannelParams.class, this::unsubscribe)
                .addAsync("publish", PublishParams.class, PublishParams::bind, this::publishFromClient)
                .addAsync("history", HistoryParams.class, HistoryParams::bind, (r, p) -> reads.history(r, p, false))
                .addAsync("presence", ChannelParams.class, (r, p) -> reads.presence(r, p, false))
                .addAsync("presence_stats", ChannelParams.class, (r, p) -> reads.presenceStats(r, p, false))
                // a liveness probe for clients that cannot see WebSocket pings (browsers): answered null at once
                .add("ping", NoParams.class, (r, p) -> null);
        this.positionChecks = new OnDemandTimer(context.loop(), settings.positionCheckInterval(), this::checkPositions);
        broker.start(this);
    }

    // ---- subscribe and unsubscribe

    private void subscribe(Request request, SubscribeParams params) {
        JsonKey channel = context.budget().key(params.channel());
        Client client = request.client();
        if (subscriptions.contains(channel, client)) {
            throw new RpcException(ErrorName.ALREADY_SUBSCRIBED);
        }
        if (subscriptions.countKeysOf(client) >= settings.maxSubscriptionsPerClient()) {
            throw new RpcException(ErrorName.TOO_MANY_SUBSCRIPTIONS);
        }
        if (!policy.maySubscribe(client, channel)) {
            throw new RpcException(ErrorName.NOT_AUTHORIZED);
        }
        ChannelOptions options = settings.channels().of(channel);
        if (params.positioned() && !options.history().enabled()) {
            throw new RpcException(ErrorName.HISTORY_NOT_ENABLED);
        }
        context.budget().hold(client, channel.byteSize()); // released by leave, whatever ends the subscription
        subscriptions.add(channel, client);
        ChannelState state = channels.computeIfAbsent(channel, c -> new ChannelState(options));
        state.joining.put(client, request);
        whenLinked(channel, state, failure -> {
            if (!state.joining.remove(client, request)) {
                request.error(ErrorName.NOT_SUBSCRIBED); // it left (and perhaps came back) before the broker answered
            } else if (failure != null) {
                leave(channel, client);
                request.error(BrokerFailures.errorName(name(), failure));
            } else {
                join(request, channel, state, params);
            }
        });
    }

    /** Runs {@code then} once this node's broker subscription to {@code channel} is confirmed (or has failed). */
    private void whenLinked(JsonKey channel, ChannelState state, java.util.function.Consumer<Throwable> then) {
        if (state.linked) {
            then.accept(null);
            return;
        }
        boolean first = !state.linking();
        state.await(then);
        if (first) {
            broker.subscribe(channel, (ignored, failure) -> linked(channel, state, failure));
        }
    }

    private void linked(JsonKey channel, ChannelState state, Throwable failure) {
        state.linked = failure == null;
        for (var then : state.takeWaiting()) {
            then.accept(failure);
        }
        releaseIfUnused(channel, state);
    }

    private void join(Request request, JsonKey channel, ChannelState state, SubscribeParams params) {
        Client client = request.client();
        if (state.options.presence()) {
            presence.add(channel, client);
        }
        lifecycle.subscribed(name(), channel, client); // it only records: the reply below still comes first
        if (!params.positioned()) {
            state.plain.add(client);
            request.reply(null);
            return;
        }
        PositionedSubscription subscription = new PositionedSubscription(client);
        state.positioned.put(client, subscription);
        positionChecks.ensureRunning();
        StreamPosition since = params.since();
        HistoryQuery query = since == null ? HistoryQuery.POSITION_ONLY
                : new HistoryQuery(since.offset(), settings.maxRecoveredPublications(), false);
        broker.history(channel, query, (history, failure) ->
                recover(request, channel, state, subscription, since, history, failure));
    }

    /**
     * Answers a positioned subscribe once the history read is back: the position, whether it recovered, then every
     * recovered publication, then the live ones that came meanwhile, so nothing is missed or sent twice.
     */
    private void recover(Request request, JsonKey channel, ChannelState state, PositionedSubscription subscription,
            StreamPosition since, HistoryResult history, Throwable failure) {
        Client client = subscription.client;
        if (state.positioned.get(client) != subscription) {
            request.error(ErrorName.NOT_SUBSCRIBED);
            return;
        }
        if (failure != null) {
            leave(channel, client);
            request.error(BrokerFailures.errorName(name(), failure));
            return;
        }
        StreamPosition top = history.position();
        ObjectNode reply = Positions.write(context.codec().mapper().createObjectNode(), top);
        List<Publication> missed = List.of();
        if (since != null) {
            List<Publication> recoveredPublications = Recovery.recover(since, history,
                    settings.maxRecoveredPublications());
            reply.put("recovered", recoveredPublications != null);
            (recoveredPublications != null ? meters.recovered : meters.notRecovered).increment();
            if (recoveredPublications != null) {
                missed = recoveredPublications;
            }
        }
        request.reply(reply);
        for (Publication publication : missed) {
            send(client, positioned.frame(channel, publication, true));
        }
        var buffered = subscription.goLive(top);
        if (buffered == null) {
            endForInsufficientState(channel, state, subscription);
            return;
        }
        for (var live : buffered) {
            if (!positioned.deliverTo(channel, state, subscription, live.publication(), live.epoch(), null)) {
                return;
            }
        }
    }

    private Object unsubscribe(Request request, ChannelParams params) {
        JsonKey channel = context.budget().key(params.channel());
        if (!subscriptions.contains(channel, request.client())) {
            throw new RpcException(ErrorName.NOT_SUBSCRIBED);
        }
        leave(channel, request.client());
        return null;
    }

    private void leave(JsonKey channel, Client client) {
        if (subscriptions.remove(channel, client)) {
            context.budget().release(client, channel.byteSize());
        }
        ChannelState state = channels.get(channel);
        if (state == null) {
            return;
        }
        state.joining.remove(client);
        boolean joined = state.plain.remove(client) | state.positioned.remove(client) != null;
        if (joined) {
            lifecycle.unsubscribed(name(), channel, client);
            if (state.options.presence()) {
                presence.remove(channel, client);
            }
        }
        releaseIfUnused(channel, state);
    }

    /** Drops a channel nobody here subscribes to any more, and this node's broker subscription with it. */
    private void releaseIfUnused(JsonKey channel, ChannelState state) {
        if (state.linking() || subscriptions.countValuesOf(channel) > 0 || channels.get(channel) != state) {
            return;
        }
        channels.remove(channel);
        if (state.linked) {
            broker.unsubscribe(channel);
        }
    }

    @Override
    public void onDisconnect(Client client) {
        for (JsonKey channel : List.copyOf(subscriptions.keysOf(client))) {
            leave(channel, client);
        }
        presence.forget(client);
    }

    // ---- publish and deliver

    private void publishFromClient(Request request, PublishParams params) {
        JsonKey channel = context.budget().key(params.channel());
        if (!policy.mayPublish(request.client(), channel)) {
            throw new RpcException(ErrorName.NOT_AUTHORIZED);
        }
        publish(channel, params.message(), null, (result, failure) -> {
            if (failure != null) {
                request.error(BrokerFailures.errorName(name(), failure));
            } else {
                request.reply(null); // Snorky answers data: null, with or without history
            }
        });
    }

    /**
     * Publishes past the policy (the backend's and in-process publishers' path). {@code onLoop} gets the
     * publication's position on a channel with history (else {@link PublishResult#LIVE}) once the engine accepted it,
     * or the failure ({@code BrokerUnavailableException}): then it was not confirmed (a call that timed out on a stalled
     * Redis may still run when Redis wakes), and a retry with the same idempotency key makes it exactly once.
     *
     * @param idempotencyKey null, or a key that makes a retry within the engine's window return the first result
     */
    public void publish(JsonKey channel, JsonNode message, String idempotencyKey,
            BiConsumer<PublishResult, Throwable> onLoop) {
        context.loop().checkInLoop();
        var history = settings.channels().of(channel).history();
        PublishOptions options = idempotencyKey == null ? PublishOptions.of(history)
                : new PublishOptions(history, idempotencyKey);
        broker.publish(channel, message, options, onLoop);
    }

    /**
     * Publishes from inside the broker (the SNAP bridge): like the backend's publish, with a failure logged and
     * counted ({@code broker.pubsub.publish.failures}) since nobody waits for a reply.
     */
    public void publish(JsonNode channel, JsonNode message) {
        publish(JsonKey.of(channel), message, null, (result, failure) -> {
            if (failure != null) {
                meters.publishFailures.increment();
                log.warn("publication to {} was not accepted: {}", channel, failure.getMessage());
            }
        });
    }

    @Override
    public void onPublication(JsonKey channel, Publication publication, String epoch) {
        onPublication(channel, publication, epoch, 0);
    }

    /** Fans out to the local subscribers; {@code publishedNanos} 0 (unknown) records no delivery latency. */
    @Override
    public void onPublication(JsonKey channel, Publication publication, String epoch, long publishedNanos) {
        ChannelState state = channels.get(channel);
        if (state == null) {
            return;
        }
        state.published(publication.offset(), epoch);
        int sent = 0;
        if (!state.plain.isEmpty()) {
            EncodedMessage frame = positioned.frame(channel, publication, false);
            for (Client subscriber : state.plain) {
                subscriber.send(frame);
            }
            sent = state.plain.size();
        }
        if (!state.positioned.isEmpty()) {
            sent += positioned.deliver(channel, state, publication, epoch);
        }
        if (sent > 0) {
            context.metrics().messagesOut(name()).increment(sent);
            if (publishedNanos != 0) {
                meters.deliveryLatency.record(System.nanoTime() - publishedNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void endForInsufficientState(JsonKey channel, ChannelState state, PositionedSubscription subscription) {
        Client client = subscription.client;
        if (state.positioned.get(client) != subscription) {
            return;
        }
        meters.insufficientState.increment();
        leave(channel, client);
        send(client, positioned.unsubscribed(channel, UnsubscribeReason.INSUFFICIENT_STATE));
    }

    // ---- positions

    @Override
    public void onDeliveryInterrupted() {
        if (checkPositions()) {
            context.loop().schedule(RECHECK_DELAY, this::checkPositions);
        }
    }

    /**
     * Compares every live positioned subscription with its stream's top: another epoch is a gap at once; a top it
     * has not reached is a gap if it still has not reached it at the next check (a publication can be in transit).
     */
    private boolean checkPositions() {
        boolean any = false;
        for (var entry : List.copyOf(channels.entrySet())) {
            ChannelState state = entry.getValue();
            if (state.positioned.isEmpty() || !state.linked) {
                continue;
            }
            any = true;
            JsonKey channel = entry.getKey();
            broker.history(channel, HistoryQuery.POSITION_ONLY, (history, failure) -> {
                if (failure == null) {
                    positioned.compare(channel, state, history.position());
                } // else the engine is down: its recovery will call onDeliveryInterrupted
            });
        }
        return any;
    }

    /** Who hears of every subscription made and ended (the webhooks); set once at start, on the loop. */
    public void lifecycle(LifecycleEvents events) { this.lifecycle = events; }
    /** History and presence reads, for the backend service and the public API's services. */
    public ChannelReads reads() { return reads; }

    /** Number of subscribers of {@code channel} (those still being set up included). */
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

    /** Channels this node is subscribed to in the broker (for tests: it must match the local subscribers). */
    public List<JsonKey> linkedChannels() {
        return channels.entrySet().stream().filter(entry -> entry.getValue().linked).map(Map.Entry::getKey).toList();
    }

    /** Bounded views of the channels and subscriptions, for the console (loop only). */
    public PubSubStats stats() {
        return stats;
    }
}
