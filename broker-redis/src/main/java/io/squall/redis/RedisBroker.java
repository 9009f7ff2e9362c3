package io.squall.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.broker.Broker;
import io.squall.core.broker.BrokerEvents;
import io.squall.core.broker.BrokerUnavailableException;
import io.squall.core.broker.Epochs;
import io.squall.core.broker.HistoryPolicy;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.HistoryResult;
import io.squall.core.broker.Publication;
import io.squall.core.broker.PublishOptions;
import io.squall.core.broker.PublishResult;
import io.squall.core.broker.StreamPosition;
import io.squall.api.JsonKey;
import io.squall.core.loop.EventLoop;
import io.squall.core.loop.LoopOverloadedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Broker} on Redis: any number of Squall nodes share channels. A channel with history is a STREAM
 * (entry id = offset) plus a meta HASH (epoch, top offset); one Lua script assigns the offset, appends and
 * publishes, so every node sees a channel's publications in offset order. Live messages travel as
 * {@code offset:epoch:publishMillis:json} on the channel's pub/sub channel (SPUBLISH in a cluster).
 *
 * <p>Everything is asynchronous; results and deliveries come back on the event loop. Messages arriving while the
 * loop is full are dropped and counted ({@code broker.redis.pubsub.dropped}): positioned subscribers see the offset
 * gap. While Redis is unreachable, calls fail at once with {@link BrokerUnavailableException}. Built by
 * {@link RedisEngine}.
 */
public final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    private final RedisConnections redis;
    private final ChannelNames names;
    private final EventLoop loop;
    private final RedisMetrics metrics;
    private final ObjectMapper mapper;
    /** loop-owned: channels this node receives, and the pub/sub connection of each partition or shard */
    private final Set<JsonKey> subscribed = new HashSet<>();
    private final Map<Integer, PubSubLink> links = new HashMap<>();
    /** what its pub/sub links are called in logs and probes: "" for PubSub's, "services" for the service bus */
    private final String label;
    /** a dropped message costs the receiver state it cannot see as a gap (the service bus): report an interruption */
    private final boolean dropsInterrupt;
    private final AtomicBoolean interruptQueued = new AtomicBoolean();
    private BrokerEvents events;

    RedisBroker(RedisConnections redis, ObjectMapper mapper) {
        this(redis, mapper, redis.names, "", false);
    }

    RedisBroker(RedisConnections redis, ObjectMapper mapper, ChannelNames names, String label, boolean dropsInterrupt) {
        this.redis = redis;
        this.names = names;
        this.loop = redis.loop;
        this.metrics = redis.metrics;
        this.mapper = mapper;
        this.label = label;
        this.dropsInterrupt = dropsInterrupt;
    }

    @Override
    public void start(BrokerEvents events) {
        loop.checkInLoop();
        this.events = events;
        if (!redis.cluster()) {
            // one pub/sub connection per Redis, made at once so that availability shows early
            for (int shard = 0; shard < redis.shards(); shard++) {
                linkOf(shard, shard).start();
            }
        }
    }

    @Override
    public void publish(JsonKey channel, JsonNode data, PublishOptions options,
            BiConsumer<PublishResult, Throwable> onLoop) {
        String payload;
        try {
            payload = mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            onLoop.accept(null, e);
            return;
        }
        String pubSubChannel = names.pubSub(channel);
        long started = System.nanoTime();
        CompletionStage<PublishResult> published;
        try {
            if (!options.history().enabled()) {
                String message = "0::" + System.currentTimeMillis() + ":" + payload;
                published = redis.publish(redis.shard(channel), pubSubChannel, message, redis.cluster())
                        .thenApply(receivers -> PublishResult.LIVE);
            } else {
                published = Scripts.PUBLISH.run(redis.commands(channel), publishKeys(channel, options),
                        publishArgs(payload, options.history(), pubSubChannel, options.idempotencyKey() != null))
                        .thenApply(RedisBroker::publishResult);
            }
        } catch (BrokerUnavailableException e) {
            onLoop.accept(null, e);
            return;
        }
        published.whenComplete((result, failure) -> {
            metrics.publishLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            Throwable reported = failure == null ? null : PubSubLink.unavailable(failure);
            loop.executeCritical(() -> onLoop.accept(result, reported));
        });
    }

    private String[] publishKeys(JsonKey channel, PublishOptions options) {
        String key = options.idempotencyKey();
        return new String[] {names.stream(channel), names.meta(channel), names.result(channel, key == null ? "" : key)};
    }

    private String[] publishArgs(String payload, HistoryPolicy history, String pubSubChannel, boolean idempotent) {
        return new String[] {payload, Integer.toString(history.size()), seconds(history.ttl()),
            seconds(redis.config.historyMetaTtl()), Epochs.next(), redis.cluster() ? "spublish" : "publish",
            pubSubChannel, seconds(redis.config.idempotencyTtl()), idempotent ? "1" : "0",
            Long.toString(System.currentTimeMillis())};
    }

    private static PublishResult publishResult(Object reply) {
        List<?> values = (List<?>) reply;
        return new PublishResult(new StreamPosition((Long) values.get(0), (String) values.get(1)),
                ((Long) values.get(2)) == 1);
    }

    @Override
    public void subscribe(JsonKey channel, BiConsumer<Void, Throwable> onLoop) {
        loop.checkInLoop();
        if (!subscribed.add(channel)) {
            onLoop.accept(null, null);
            return;
        }
        linkFor(channel).subscribe(names.pubSub(channel), (ok, failure) -> {
            if (failure != null) {
                subscribed.remove(channel);
            }
            onLoop.accept(ok, failure);
        });
    }

    @Override
    public void unsubscribe(JsonKey channel) {
        loop.checkInLoop();
        if (subscribed.remove(channel)) {
            linkFor(channel).unsubscribe(names.pubSub(channel));
        }
    }

    @Override
    public void history(JsonKey channel, HistoryQuery query, BiConsumer<HistoryResult, Throwable> onLoop) {
        String[] keys = {names.stream(channel), names.meta(channel)};
        String[] args = {Epochs.next(), seconds(redis.config.historyMetaTtl()), Integer.toString(query.limit()),
            query.reverse() ? "1" : "0", Long.toString(query.sinceOffset() + 1)};
        CompletionStage<Object> read;
        try {
            read = Scripts.HISTORY.run(redis.commands(channel), keys, args);
        } catch (BrokerUnavailableException e) {
            onLoop.accept(null, e);
            return;
        }
        read.thenApply(this::historyResult).whenComplete((result, failure) -> {
            Throwable reported = failure == null ? null : PubSubLink.unavailable(failure);
            loop.executeCritical(() -> onLoop.accept(result, reported));
        });
    }

    private HistoryResult historyResult(Object reply) {
        List<?> values = (List<?>) reply;
        StreamPosition position = new StreamPosition((Long) values.get(0), (String) values.get(1));
        List<Publication> publications = new ArrayList<>();
        for (Object entry : (List<?>) values.get(2)) {
            List<?> idAndFields = (List<?>) entry;
            String id = (String) idAndFields.get(0);
            List<?> fields = (List<?>) idAndFields.get(1);
            long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
            publications.add(new Publication(offset, readJson((String) fields.get(1))));
        }
        return new HistoryResult(position, publications);
    }

    @Override
    public boolean available() {
        return redis.connected();
    }

    /** Some Redis missed its latest PINGs, and calls to it are refused unsent (for tests). */
    boolean stalled() {
        return redis.stalled();
    }

    /** Call on the loop. Stops this node's pub/sub connections; {@link RedisEngine#close()} closes the rest. */
    @Override
    public void close() {
        links.values().forEach(PubSubLink::close);
        links.clear();
        subscribed.clear();
    }

    private PubSubLink linkFor(JsonKey channel) {
        int partition = names.partition(channel);
        int shard = redis.shard(channel);
        return redis.cluster() ? linkOf(partition, shard) : linkOf(shard, shard);
    }

    private PubSubLink linkOf(int partition, int shard) {
        int id = redis.cluster() ? partition : shard;
        return links.computeIfAbsent(id, ignored -> redis.newLink(
                (label.isEmpty() ? "" : label + " ") + (redis.cluster() ? "partition " : "shard ") + id, label,
                partition, shard, false, this::received, this::interrupted));
    }

    /** On a Lettuce thread: decode here, deliver on the loop in arrival order, drop (and count) if it is full. */
    private void received(String pubSubChannel, String message) {
        String channelText = names.channelText(pubSubChannel);
        if (channelText == null) {
            return;
        }
        JsonKey channel;
        Publication publication;
        String epoch;
        long publishedNanos;
        try {
            int offsetEnd = message.indexOf(':');
            int epochEnd = message.indexOf(':', offsetEnd + 1);
            int timeEnd = message.indexOf(':', epochEnd + 1);
            long offset = Long.parseLong(message, 0, offsetEnd, 10);
            epoch = message.substring(offsetEnd + 1, epochEnd);
            long sentAt = Long.parseLong(message, epochEnd + 1, timeEnd, 10);
            long lagMillis = Math.max(0, System.currentTimeMillis() - sentAt);
            metrics.pubSubLag.record(lagMillis, TimeUnit.MILLISECONDS);
            // the publisher's wall-clock moment on this node's nanoTime clock: the delivery latency includes the hop
            publishedNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(lagMillis);
            publication = new Publication(offset, readJson(message.substring(timeEnd + 1)));
            channel = JsonKey.of(mapper.readTree(channelText));
        } catch (RuntimeException | JsonProcessingException e) {
            log.warn("redis: undecodable message on {} dropped ({})", pubSubChannel, e.toString());
            metrics.dropped.increment();
            return;
        }
        try {
            loop.execute(() -> deliver(channel, publication, epoch, publishedNanos));
        } catch (LoopOverloadedException e) {
            metrics.dropped.increment();
            if (dropsInterrupt && interruptQueued.compareAndSet(false, true)) {
                loop.executeCritical(() -> {
                    interruptQueued.set(false);
                    interrupted();
                });
            }
        }
    }

    private void deliver(JsonKey channel, Publication publication, String epoch, long publishedNanos) {
        if (events != null && subscribed.contains(channel)) {
            events.onPublication(channel, publication, epoch, publishedNanos);
        }
    }

    private void interrupted() {
        if (events != null) {
            events.onDeliveryInterrupted();
        }
    }

    private JsonNode readJson(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("redis: a stored publication is not JSON", e);
        }
    }

    static String seconds(Duration duration) {
        return Long.toString(Math.max(1, (duration.toMillis() + 999) / 1000));
    }
}
