package io.squall.core.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.JsonKey;
import io.squall.core.loop.EventLoop;
import io.squall.core.loop.OnDemandTimer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The embedded engine: one node, everything on the event loop, with the same history, epoch and idempotency
 * semantics as the Redis engine. A publication is delivered synchronously, inside {@link #publish}, so the
 * single-node path costs one map lookup more than a direct fan-out. Epochs are new on every start: history does not
 * survive a restart, and clients that recover across one are told so ({@code recovered: false}).
 */
public final class MemoryBroker implements Broker {
    /** how often expired streams, metas and idempotency results are swept (reads expire them lazily too) */
    private static final Duration SWEEP_PERIOD = Duration.ofSeconds(10);

    private final EventLoop loop;
    private final HistorySettings settings;
    private final Set<JsonKey> subscribed = new HashSet<>();
    private final Map<JsonKey, MemoryStream> streams = new HashMap<>();
    private final IdempotencyCache idempotency;
    private final OnDemandTimer sweeper;
    private BrokerEvents events;

    public MemoryBroker(EventLoop loop, HistorySettings settings) {
        this.loop = loop;
        this.settings = settings;
        this.idempotency = new IdempotencyCache(settings.idempotencyTtl().toNanos(), settings.maxIdempotencyKeys());
        this.sweeper = new OnDemandTimer(loop, SWEEP_PERIOD, this::sweep);
    }

    @Override
    public void start(BrokerEvents events) {
        if (this.events != null) {
            throw new IllegalStateException("already started");
        }
        this.events = events;
    }

    @Override
    public void publish(JsonKey channel, JsonNode data, PublishOptions options,
            BiConsumer<PublishResult, Throwable> onLoop) {
        loop.checkInLoop();
        long published = System.nanoTime(); // the delivery latency's start (one read per publication, not per subscriber)
        String key = options.idempotencyKey();
        // the clock only for what expires: a live-only publish without a key (the hot path) never reads it
        long now = key != null || options.history().enabled() ? loop.nanoTime() : 0;
        if (key != null) {
            PublishResult earlier = idempotency.get(channel, key, now);
            if (earlier != null) {
                onLoop.accept(new PublishResult(earlier.position(), true), null);
                return;
            }
        }
        Publication publication;
        PublishResult result;
        String epoch;
        if (options.history().enabled()) {
            MemoryStream stream = liveStream(channel, now);
            publication = stream.append(data, options.history(), now, settings.metaTtl().toNanos());
            epoch = stream.epoch();
            result = new PublishResult(new StreamPosition(publication.offset(), epoch), false);
        } else {
            publication = new Publication(0, data);
            epoch = "";
            result = PublishResult.LIVE;
        }
        if (key != null) {
            idempotency.put(channel, key, result, now);
            sweeper.ensureRunning();
        }
        if (subscribed.contains(channel)) {
            events.onPublication(channel, publication, epoch, published);
        }
        onLoop.accept(result, null);
    }

    @Override
    public void subscribe(JsonKey channel, BiConsumer<Void, Throwable> onLoop) {
        loop.checkInLoop();
        subscribed.add(channel);
        onLoop.accept(null, null);
    }

    @Override
    public void unsubscribe(JsonKey channel) {
        loop.checkInLoop();
        subscribed.remove(channel);
    }

    @Override
    public void history(JsonKey channel, HistoryQuery query, BiConsumer<HistoryResult, Throwable> onLoop) {
        loop.checkInLoop();
        long now = loop.nanoTime();
        // as the Redis engine's read script: reading a channel creates its epoch and keeps its meta alive
        MemoryStream stream = liveStream(channel, now);
        stream.touch(now, settings.metaTtl().toNanos());
        onLoop.accept(new HistoryResult(stream.position(), stream.read(query)), null);
    }

    private MemoryStream liveStream(JsonKey channel, long now) {
        MemoryStream stream = streams.get(channel);
        if (stream == null || stream.metaExpired(now)) {
            stream = new MemoryStream(Epochs.next());
            streams.put(channel, stream);
            sweeper.ensureRunning();
        }
        stream.dropIfExpired(now);
        return stream;
    }

    /** Drops what has expired; returns whether anything is left to sweep later. */
    private boolean sweep() {
        long now = loop.nanoTime();
        Iterator<MemoryStream> it = streams.values().iterator();
        while (it.hasNext()) {
            MemoryStream stream = it.next();
            if (stream.metaExpired(now)) {
                it.remove();
            } else {
                stream.dropIfExpired(now);
            }
        }
        idempotency.expire(now);
        return !streams.isEmpty() || idempotency.size() > 0;
    }

    /** Channels whose meta (epoch and top offset) is kept, for tests and metrics. */
    public int streamCount() {
        return streams.size();
    }

    /** Channels this node is subscribed to. */
    public List<JsonKey> subscribedChannels() {
        return new ArrayList<>(subscribed);
    }

    @Override
    public void close() {
        sweeper.stop();
    }
}
