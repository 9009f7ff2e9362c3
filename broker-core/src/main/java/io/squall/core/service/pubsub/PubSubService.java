package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.broker.Broker;
import io.squall.core.broker.BrokerEvents;
import io.squall.core.broker.BrokerUnavailableException;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.HistoryResult;
import io.squall.core.broker.PresenceInfo;
import io.squall.core.broker.PresenceManager;
import io.squall.core.broker.Publication;
import io.squall.core.broker.PublishOptions;
import io.squall.core.broker.PublishResult;
import io.squall.core.broker.StreamPosition;
import io.squall.core.index.TwoWayIndex;
import io.squall.core.json.JsonKey;
import io.squall.core.loop.LoopOverloadedException;
import io.squall.core.loop.OnDemandTimer;
import io.squall.core.protocol.EncodedMessage;
import io.squall.core.protocol.StandardError;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import io.squall.core.rpc.RpcService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snorky's PubSub ({@code subscribe}, {@code unsubscribe}, {@code publish} on channels that are any JSON value) on
 * the {@link Broker} seam, plus Squall's positions, recovery, {@code history} and {@code presence}. Publishing goes
 * to the broker; what the broker delivers comes back through {@link #onPublication} and is encoded once per kind of
 * subscriber (plain: Snorky's exact frame; positioned: the same with the offset) and handed to every local
 * subscriber. All on the loop.
 */
public final class PubSubService extends RpcService implements BrokerEvents {
    private static final Logger log = LoggerFactory.getLogger(PubSubService.class);
    /** live publications one recovering subscription may hold while its history read is under way */
    private static final int RECOVERY_BUFFER = 4096;
    /** after the broker's pub/sub link was rebuilt, positions are checked at once and once more this much later */
    private static final Duration RECHECK_DELAY = Duration.ofSeconds(1);

    /** every subscription, live or still being set up: what limits, unsubscribe and disconnect go by */
    private final TwoWayIndex<JsonKey, Client> subscriptions = new TwoWayIndex<>();
    private final Map<JsonKey, ChannelState> channels = new HashMap<>();
    private final ChannelPolicy policy;
    private final PubSubSettings settings;
    private final Broker broker;
    private final PresenceManager presence;
    private final PresenceIds presenceIds = new PresenceIds();
    private final Counter recovered;
    private final Counter notRecovered;
    private final Counter insufficientState;
    private final Counter publishFailures;
    private final OnDemandTimer positionChecks;
    private final OnDemandTimer presenceRefresh;

    public PubSubService(String name, ServiceContext context, ChannelPolicy policy, PubSubSettings settings,
            Broker broker, PresenceManager presence) {
        super(name, context);
        this.policy = policy;
        this.settings = settings;
        this.broker = broker;
        this.presence = presence;
        var meters = context.metrics().registry();
        this.recovered = Counter.builder("broker.pubsub.recoveries").tag("recovered", "yes")
                .description("Subscriptions with since: recovered (every missed publication) or not (none)")
                .register(meters);
        this.notRecovered = Counter.builder("broker.pubsub.recoveries").tag("recovered", "no").register(meters);
        this.insufficientState = Counter.builder("broker.pubsub.insufficient.state")
                .description("Positioned subscriptions ended because their stream jumped (told to resubscribe)")
                .register(meters);
        this.publishFailures = Counter.builder("broker.pubsub.publish.failures")
                .description("In-process publications the broker refused (engine unavailable), each logged")
                .register(meters);
        commands()
                .addAsync("subscribe", SubscribeParams.class, SubscribeParams::bind, this::subscribe)
                .add("unsubscribe", ChannelParams.class, this::unsubscribe)
                .addAsync("publish", PublishParams.class, PublishParams::bind, this::publishFromClient)
                .addAsync("history", HistoryParams.class, HistoryParams::bind, (r, p) -> history(r, p, false))
                .addAsync("presence", ChannelParams.class, (r, p) -> presence(r, p, false))
                .addAsync("presence_stats", ChannelParams.class, (r, p) -> presenceStats(r, p, false));
        this.positionChecks = new OnDemandTimer(context.loop(), settings.positionCheckInterval(), this::checkPositions);
        this.presenceRefresh = new OnDemandTimer(context.loop(), settings.presenceRefreshInterval(),
                this::refreshPresence);
        broker.start(this);
    }

    // ---- subscribe and unsubscribe

    private void subscribe(Request request, SubscribeParams params) {
        JsonKey channel = JsonKey.of(params.channel());
        Client client = request.client();
        if (subscriptions.contains(channel, client)) {
            throw new RpcException(Errors.ALREADY_SUBSCRIBED);
        }
        if (subscriptions.countKeysOf(client) >= settings.maxSubscriptionsPerClient()) {
            throw new RpcException(Errors.TOO_MANY_SUBSCRIPTIONS);
        }
        if (!policy.maySubscribe(client, channel)) {
            throw new RpcException(Errors.NOT_AUTHORIZED);
        }
        ChannelOptions options = settings.channels().of(channel);
        if (params.positioned() && !options.history().enabled()) {
            throw new RpcException(Errors.HISTORY_NOT_ENABLED);
        }
        subscriptions.add(channel, client);
        ChannelState state = channels.computeIfAbsent(channel, c -> new ChannelState(options));
        state.joining.put(client, request);
        whenLinked(channel, state, failure -> {
            if (!state.joining.remove(client, request)) {
                request.error(Errors.NOT_SUBSCRIBED); // it left (and perhaps came back) before the broker answered
            } else if (failure != null) {
                leave(channel, client);
                request.error(errorName(failure));
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
            addPresence(channel, client);
        }
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
            request.error(Errors.NOT_SUBSCRIBED);
            return;
        }
        if (failure != null) {
            leave(channel, client);
            request.error(errorName(failure));
            return;
        }
        StreamPosition top = history.position();
        ObjectNode reply = Positions.write(context.codec().mapper().createObjectNode(), top);
        List<Publication> missed = List.of();
        if (since != null) {
            List<Publication> recoveredPublications = Recovery.recover(since, history,
                    settings.maxRecoveredPublications());
            reply.put("recovered", recoveredPublications != null);
            (recoveredPublications != null ? recovered : notRecovered).increment();
            if (recoveredPublications != null) {
                missed = recoveredPublications;
            }
        }
        request.reply(reply);
        for (Publication publication : missed) {
            send(client, positionedFrame(channel, publication));
        }
        var buffered = subscription.goLive(top);
        if (buffered == null) {
            endForInsufficientState(channel, state, subscription);
            return;
        }
        for (var live : buffered) {
            if (!deliverTo(channel, state, subscription, live.publication(), live.epoch(), null)) {
                return;
            }
        }
    }

    private Object unsubscribe(Request request, ChannelParams params) {
        JsonKey channel = JsonKey.of(params.channel());
        if (!subscriptions.contains(channel, request.client())) {
            throw new RpcException(Errors.NOT_SUBSCRIBED);
        }
        leave(channel, request.client());
        return null;
    }

    private void leave(JsonKey channel, Client client) {
        subscriptions.remove(channel, client);
        ChannelState state = channels.get(channel);
        if (state == null) {
            return;
        }
        state.joining.remove(client);
        boolean joined = state.plain.remove(client) | state.positioned.remove(client) != null;
        if (joined && state.options.presence()) {
            presence.remove(channel, presenceIds.of(client), this::logPresenceFailure);
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
        presenceIds.forget(client);
    }

    // ---- publish and deliver

    private void publishFromClient(Request request, PublishParams params) {
        JsonKey channel = JsonKey.of(params.channel());
        if (!policy.mayPublish(request.client(), channel)) {
            throw new RpcException(Errors.NOT_AUTHORIZED);
        }
        publish(channel, params.message(), null, (result, failure) -> {
            if (failure != null) {
                request.error(errorName(failure));
            } else {
                request.reply(null); // Snorky answers data: null, with or without history
            }
        });
    }

    /**
     * Publishes past the policy (the backend's and in-process publishers' path). {@code onLoop} gets the
     * publication's position on a channel with history (else {@link PublishResult#LIVE}) once the engine accepted it,
     * or the failure ({@link BrokerUnavailableException}): then nothing was published.
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
                publishFailures.increment();
                log.warn("publication to {} was not accepted: {}", channel, failure.getMessage());
            }
        });
    }

    @Override
    public void onPublication(JsonKey channel, Publication publication, String epoch) {
        ChannelState state = channels.get(channel);
        if (state == null) {
            return;
        }
        int sent = 0;
        if (!state.plain.isEmpty()) {
            EncodedMessage frame = frame(channel, publication, false);
            for (Client subscriber : state.plain) {
                subscriber.send(frame);
            }
            sent = state.plain.size();
        }
        if (!state.positioned.isEmpty()) {
            sent += deliverPositioned(channel, state, publication, epoch);
        }
        if (sent > 0) {
            context.metrics().messagesOut(name()).increment(sent);
        }
    }

    private int deliverPositioned(JsonKey channel, ChannelState state, Publication publication, String epoch) {
        EncodedMessage[] frame = new EncodedMessage[1]; // encoded once, when the first subscriber takes it
        int sent = 0;
        for (PositionedSubscription subscription : List.copyOf(state.positioned.values())) {
            if (subscription.recovering()) {
                subscription.buffer(publication, epoch, RECOVERY_BUFFER);
            } else if (deliverTo(channel, state, subscription, publication, epoch, frame)) {
                sent++;
            }
        }
        return sent;
    }

    /**
     * Delivers one publication to a live positioned subscription if it is the next one; a jump ends the
     * subscription with {@link UnsubscribeReason#INSUFFICIENT_STATE}.
     *
     * @return false when the subscription was ended
     */
    private boolean deliverTo(JsonKey channel, ChannelState state, PositionedSubscription subscription,
            Publication publication, String epoch, EncodedMessage[] shared) {
        switch (subscription.step(publication, epoch)) {
            case DELIVER -> {
                EncodedMessage frame;
                if (shared == null) {
                    frame = positionedFrame(channel, publication);
                } else {
                    if (shared[0] == null) {
                        shared[0] = positionedFrame(channel, publication);
                    }
                    frame = shared[0];
                }
                subscription.client.send(frame);
                return true;
            }
            case STALE -> {
                return true;
            }
            default -> {
                endForInsufficientState(channel, state, subscription);
                return false;
            }
        }
    }

    private EncodedMessage positionedFrame(JsonKey channel, Publication publication) {
        return frame(channel, publication, true);
    }

    private EncodedMessage frame(JsonKey channel, Publication publication, boolean withOffset) {
        ObjectNode notification = context.codec().mapper().createObjectNode().put("type", "message");
        notification.set("channel", channel.value());
        notification.set("message", publication.data());
        if (withOffset) {
            notification.put("offset", publication.offset());
        }
        return context.codec().encode(name(), notification);
    }

    private void endForInsufficientState(JsonKey channel, ChannelState state, PositionedSubscription subscription) {
        Client client = subscription.client;
        if (state.positioned.get(client) != subscription) {
            return;
        }
        insufficientState.increment();
        leave(channel, client);
        ObjectNode notification = context.codec().mapper().createObjectNode().put("type", "unsubscribed");
        notification.set("channel", channel.value());
        notification.put("code", UnsubscribeReason.INSUFFICIENT_STATE.code());
        notification.put("reason", UnsubscribeReason.INSUFFICIENT_STATE.text());
        send(client, context.codec().encode(name(), notification));
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
                    compare(channel, state, history.position());
                } // else the engine is down: its recovery will call onDeliveryInterrupted
            });
        }
        return any;
    }

    private void compare(JsonKey channel, ChannelState state, StreamPosition top) {
        for (PositionedSubscription subscription : List.copyOf(state.positioned.values())) {
            if (subscription.recovering()) {
                continue;
            }
            StreamPosition at = subscription.position();
            boolean behind = top.offset() > at.offset();
            if (!top.epoch().equals(at.epoch()) || (behind && subscription.suspectTop > at.offset())) {
                endForInsufficientState(channel, state, subscription);
            } else {
                subscription.suspectTop = behind ? top.offset() : 0;
            }
        }
    }

    // ---- history and presence

    void history(Request request, HistoryParams params, boolean trusted) {
        JsonKey channel = JsonKey.of(params.channel());
        if (!trusted && !policy.mayReadHistory(request.client(), channel)) {
            throw new RpcException(Errors.NOT_AUTHORIZED);
        }
        if (!settings.channels().of(channel).history().enabled()) {
            throw new RpcException(Errors.HISTORY_NOT_ENABLED);
        }
        int max = settings.maxRecoveredPublications();
        if (params.limit() > max) {
            throw new RpcException(StandardError.INVALID_PARAMS.wireName());
        }
        int limit = params.limit() < 0 ? max : params.limit();
        long since = params.since() == null ? 0 : params.since().offset();
        broker.history(channel, new HistoryQuery(since, limit, params.reverse()), (history, failure) -> {
            if (failure != null) {
                request.error(errorName(failure));
                return;
            }
            if (params.since() != null && !params.since().epoch().equals(history.position().epoch())) {
                request.error(Errors.UNRECOVERABLE_POSITION);
                return;
            }
            ObjectNode reply = Positions.write(context.codec().mapper().createObjectNode(), history.position());
            var publications = reply.putArray("publications");
            for (Publication publication : history.publications()) {
                publications.addObject().put("offset", publication.offset()).set("message", publication.data());
            }
            request.reply(reply);
        });
    }

    void presence(Request request, ChannelParams params, boolean trusted) {
        JsonKey channel = presenceChannel(request, params, trusted);
        presence.presence(channel, (present, failure) -> {
            if (failure != null) {
                request.error(errorName(failure));
                return;
            }
            ObjectNode reply = context.codec().mapper().createObjectNode();
            ObjectNode clients = reply.putObject("clients");
            present.forEach((id, info) -> clients.putObject(id).set("identity", info.identity() == null
                    ? context.codec().mapper().nullNode() : info.identity()));
            request.reply(reply);
        });
    }

    void presenceStats(Request request, ChannelParams params, boolean trusted) {
        JsonKey channel = presenceChannel(request, params, trusted);
        presence.stats(channel, (stats, failure) -> {
            if (failure != null) {
                request.error(errorName(failure));
                return;
            }
            request.reply(context.codec().mapper().createObjectNode()
                    .put("clients", stats.clients()).put("users", stats.users()));
        });
    }

    private JsonKey presenceChannel(Request request, ChannelParams params, boolean trusted) {
        JsonKey channel = JsonKey.of(params.channel());
        if (!trusted && !policy.mayReadPresence(request.client(), channel)) {
            throw new RpcException(Errors.NOT_AUTHORIZED);
        }
        if (!settings.channels().of(channel).presence()) {
            throw new RpcException(Errors.PRESENCE_NOT_ENABLED);
        }
        return channel;
    }

    private void addPresence(JsonKey channel, Client client) {
        presenceRefresh.ensureRunning();
        presence.add(channel, new PresenceInfo(presenceIds.of(client), client.identity().orElse(null)),
                this::logPresenceFailure);
    }

    /** Adds every present connection again, so that entries outlive their TTL only while their connection lives. */
    private boolean refreshPresence() {
        boolean any = false;
        for (var entry : channels.entrySet()) {
            ChannelState state = entry.getValue();
            if (state.options.presence()) {
                state.plain.forEach(client -> addPresence(entry.getKey(), client));
                state.positioned.keySet().forEach(client -> addPresence(entry.getKey(), client));
                any |= !state.plain.isEmpty() || !state.positioned.isEmpty();
            }
        }
        return any;
    }

    private void logPresenceFailure(Object ignored, Throwable failure) {
        if (failure != null) {
            log.debug("presence update failed: {}", failure.getMessage());
        }
    }

    private String errorName(Throwable failure) {
        if (failure instanceof BrokerUnavailableException) {
            return StandardError.UNAVAILABLE.wireName();
        }
        if (failure instanceof LoopOverloadedException) {
            return StandardError.OVERLOADED.wireName();
        }
        log.error("{}: the broker failed", name(), failure);
        return StandardError.INTERNAL_ERROR.wireName();
    }

    // ---- counts

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
        List<JsonKey> linked = new ArrayList<>();
        channels.forEach((channel, state) -> {
            if (state.linked) {
                linked.add(channel);
            }
        });
        return linked;
    }
}
