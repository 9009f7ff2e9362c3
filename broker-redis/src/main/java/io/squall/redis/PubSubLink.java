package io.squall.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.squall.core.broker.BrokerUnavailableException;
import io.squall.core.loop.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pub/sub connection and the channels it should be subscribed to. Squall, not Lettuce, rebuilds it (Lettuce's
 * auto-reconnect is off for it): after a loss, on a server-side unsubscribe (a cluster slot moved) and when its
 * probe finds it open but deaf; every rebuild resubscribes all its channels, then reports the interruption.
 * State is owned by the event loop; Lettuce callbacks only hop onto it.
 */
final class PubSubLink {
    private static final Logger log = LoggerFactory.getLogger(PubSubLink.class);
    /** channels per SUBSCRIBE when resubscribing, so no single command grows unbounded */
    private static final int BATCH = 512;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    /** Where messages go, called on a Lettuce (Netty) thread: must not block. */
    interface Sink {
        void onMessage(String channel, String message);
    }

    private enum State { IDLE, CONNECTING, UP, RETRY_WAIT, CLOSED }

    private record Waiter(String channel, BiConsumer<Void, Throwable> onLoop) {}

    private final String name;
    private final EventLoop loop;
    private final RedisClient client;
    private final Supplier<CompletionStage<RedisURI>> target;
    private final boolean sharded;
    private final String probeChannel;
    private final Function<String, CompletionStage<?>> probePublisher;
    private final Sink sink;
    private final Runnable onRebuilt;
    private final RedisMetrics metrics;
    private final long probeNanos;

    private final Set<String> wanted = new LinkedHashSet<>();
    /** our own SUNSUBSCRIBEs not yet confirmed, by channel */
    private final Map<String, Integer> ownUnsubscribes = new HashMap<>();
    private final List<Waiter> waiting = new ArrayList<>();
    private StatefulRedisPubSubConnection<String, String> connection;
    private CompletableFuture<Void> closed = CompletableFuture.completedFuture(null);
    private State state = State.IDLE;
    private boolean everUp;
    private int failures;
    private long probeSentNanos;
    private volatile long lastReceivedNanos = System.nanoTime();

    PubSubLink(String name, EventLoop loop, RedisClient client, Supplier<CompletionStage<RedisURI>> target,
            boolean sharded, String probeChannel, Function<String, CompletionStage<?>> probePublisher, Sink sink,
            Runnable onRebuilt, RedisMetrics metrics, Duration probeInterval) {
        this.name = name;
        this.loop = loop;
        this.client = client;
        this.target = target;
        this.sharded = sharded;
        this.probeChannel = probeChannel;
        this.probePublisher = probePublisher;
        this.sink = sink;
        this.onRebuilt = onRebuilt;
        this.metrics = metrics;
        this.probeNanos = probeInterval.toNanos();
    }

    boolean up() {
        return state == State.UP;
    }

    /** Starts connecting (on the loop); until then, and while Redis is unreachable, subscribes fail fast. */
    void start() {
        if (state == State.IDLE) {
            connect();
        }
    }

    void subscribe(String channel, BiConsumer<Void, Throwable> onLoop) {
        switch (state) {
            case UP -> {
                wanted.add(channel);
                send(List.of(channel), true).whenComplete((ok, failure) -> loop.executeCritical(() -> {
                    if (failure != null) {
                        wanted.remove(channel);
                        onLoop.accept(null, unavailable(failure));
                    } else {
                        onLoop.accept(null, null);
                    }
                }));
            }
            case IDLE, CONNECTING -> {
                // answered once the connection is up with every wanted channel (or failed)
                wanted.add(channel);
                waiting.add(new Waiter(channel, onLoop));
                start();
            }
            default -> onLoop.accept(null, new BrokerUnavailableException("redis pub/sub " + name + " is down"));
        }
    }

    /** Subscribes for good, with no one to answer: the channel is subscribed whenever the connection is up. */
    void keep(String channel) {
        if (wanted.add(channel) && state == State.UP) {
            send(List.of(channel), true);
        }
        start();
    }

    void unsubscribe(String channel) {
        if (wanted.remove(channel) && state == State.UP) {
            sendUnsubscribe(List.of(channel));
        }
    }

    /** Unsubscribes, tracked so that the server's confirmation is not taken for a moved slot. */
    private void sendUnsubscribe(List<String> channels) {
        if (sharded) {
            channels.forEach(channel -> ownUnsubscribes.merge(channel, 1, Integer::sum));
        }
        send(channels, false);
    }

    /** Called on the loop when Lettuce saw a connection close. */
    void lost(Object closed) {
        if (closed == connection && state == State.UP) {
            log.warn("redis pub/sub {}: connection lost, rebuilding", name);
            metrics.reconnects.increment();
            rebuild();
        }
    }

    /** Called on the loop periodically: probe a silent connection, rebuild one whose probe never came back. */
    void checkAlive() {
        if (state != State.UP) {
            return;
        }
        long now = System.nanoTime();
        if (probeSentNanos != 0) {
            if (lastReceivedNanos - probeSentNanos >= 0) {
                probeSentNanos = 0;
            } else if (now - probeSentNanos > probeNanos) {
                log.warn("redis pub/sub {}: probe not received, connection is deaf; rebuilding", name);
                metrics.staleRebuilds.increment();
                rebuild();
            }
        } else if (now - lastReceivedNanos > probeNanos) {
            probeSentNanos = now;
            metrics.probes.increment();
            try {
                probePublisher.apply(probeChannel);
            } catch (RuntimeException e) {
                log.debug("redis pub/sub {}: probe not sent ({})", name, e.toString());
            }
        }
    }

    void close() {
        state = State.CLOSED;
        failWaiting(new BrokerUnavailableException("redis engine closed"));
        if (connection != null) {
            closed = connection.closeAsync();
            connection = null;
        }
    }

    /** Completes once the connection closed by {@link #close()} is closed. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    private void rebuild() {
        StatefulRedisPubSubConnection<String, String> old = connection;
        connection = null;
        if (old != null) {
            old.closeAsync();
        }
        connect();
    }

    private void connect() {
        state = State.CONNECTING;
        probeSentNanos = 0;
        ownUnsubscribes.clear();
        // taken here, on the loop: wanted is loop-owned
        List<String> channels = new ArrayList<>(List.of(probeChannel));
        channels.addAll(wanted);
        target.get()
                .thenCompose(uri -> client.connectPubSubAsync(StringCodec.UTF8, uri))
                .thenCompose(opened -> {
                    opened.addListener(new Listener());
                    return subscribeAll(opened, channels).thenApply(ignored -> opened);
                })
                .whenComplete((opened, failure) -> loop.executeCritical(() -> connected(opened, failure, channels)));
    }

    private CompletableFuture<Void> subscribeAll(StatefulRedisPubSubConnection<String, String> opened,
            List<String> channels) {
        List<CompletableFuture<Void>> batches = new ArrayList<>();
        for (int from = 0; from < channels.size(); from += BATCH) {
            String[] batch = channels.subList(from, Math.min(channels.size(), from + BATCH)).toArray(String[]::new);
            batches.add((sharded ? opened.async().ssubscribe(batch) : opened.async().subscribe(batch))
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new));
    }

    private void connected(StatefulRedisPubSubConnection<String, String> opened, Throwable failure,
            List<String> subscribed) {
        if (state == State.CLOSED) {
            if (opened != null) {
                opened.closeAsync();
            }
            return;
        }
        if (failure != null) {
            failures++;
            if (failures == 1) {
                log.warn("redis pub/sub {}: cannot connect, retrying ({})", name, LuaScript.unwrap(failure).toString());
            }
            failWaiting(unavailable(failure));
            state = State.RETRY_WAIT;
            long delay = Math.min(MAX_BACKOFF_MILLIS, 25L << Math.min(failures, 7));
            loop.schedule(Duration.ofMillis(delay), () -> {
                if (state == State.RETRY_WAIT) {
                    connect();
                }
            });
            return;
        }
        connection = opened;
        state = State.UP;
        failures = 0;
        lastReceivedNanos = System.nanoTime();
        // catch up with subscribes and unsubscribes made while connecting
        Set<String> confirmed = new HashSet<>(subscribed);
        CompletableFuture<Void> late = send(wanted.stream().filter(channel -> !confirmed.contains(channel)).toList(),
                true);
        Set<String> dropped = new HashSet<>(confirmed);
        dropped.remove(probeChannel);
        dropped.removeAll(wanted);
        sendUnsubscribe(new ArrayList<>(dropped));
        List<Waiter> answered = new ArrayList<>(waiting);
        waiting.clear();
        for (Waiter waiter : answered) {
            if (confirmed.contains(waiter.channel())) {
                waiter.onLoop().accept(null, null);
            } else {
                late.whenComplete((ok, lateFailure) -> loop.executeCritical(() ->
                        waiter.onLoop().accept(null, lateFailure == null ? null : unavailable(lateFailure))));
            }
        }
        if (everUp) {
            log.info("redis pub/sub {}: rebuilt, {} channels resubscribed", name, wanted.size());
            onRebuilt.run();
        }
        everUp = true;
    }

    private CompletableFuture<Void> send(List<String> channels, boolean subscribe) {
        if (channels.isEmpty() || connection == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (channels.size() > BATCH) {
            return subscribe ? subscribeAll(connection, channels) : CompletableFuture.completedFuture(null);
        }
        String[] array = channels.toArray(String[]::new);
        var async = connection.async();
        CompletionStage<Void> sent = subscribe
                ? (sharded ? async.ssubscribe(array) : async.subscribe(array))
                : (sharded ? async.sunsubscribe(array) : async.unsubscribe(array));
        return sent.toCompletableFuture();
    }

    private void failWaiting(Throwable failure) {
        List<Waiter> failed = new ArrayList<>(waiting);
        waiting.clear();
        for (Waiter waiter : failed) {
            // a failed subscribe is not wanted: the caller was told it did not happen
            wanted.remove(waiter.channel());
            waiter.onLoop().accept(null, failure);
        }
    }

    private void serverUnsubscribed(String channel) {
        Integer own = ownUnsubscribes.remove(channel);
        if (own != null) {
            if (own > 1) {
                ownUnsubscribes.put(channel, own - 1);
            }
            return;
        }
        if (state == State.UP && wanted.contains(channel)) {
            log.warn("redis pub/sub {}: server dropped {} (slot moved?); rebuilding", name, channel);
            metrics.reconnects.increment();
            rebuild();
        }
    }

    static BrokerUnavailableException unavailable(Throwable failure) {
        Throwable cause = LuaScript.unwrap(failure);
        return cause instanceof BrokerUnavailableException known
                ? known
                : new BrokerUnavailableException("redis: " + cause.getMessage(), cause);
    }

    /** Runs on Netty threads: records liveness and hands messages on, nothing else. */
    private final class Listener extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String channel, String message) {
            received(channel, message);
        }

        @Override
        public void smessage(String channel, String message) {
            received(channel, message);
        }

        @Override
        public void sunsubscribed(String channel, long count) {
            loop.executeCritical(() -> serverUnsubscribed(channel));
        }

        private void received(String channel, String message) {
            lastReceivedNanos = System.nanoTime();
            if (!channel.equals(probeChannel)) {
                sink.onMessage(channel, message);
            }
        }
    }
}
