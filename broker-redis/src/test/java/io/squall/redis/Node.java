package io.squall.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.squall.core.broker.BrokerEvents;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.HistoryResult;
import io.squall.core.broker.Publication;
import io.squall.core.broker.PublishOptions;
import io.squall.core.broker.PublishResult;
import io.squall.api.JsonKey;
import io.squall.core.loop.LoopConfig;
import io.squall.core.loop.ThreadEventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** One Squall "node" in a test: its own event loop and Redis engine, recording what the broker hands back. */
final class Node implements AutoCloseable {
    static final long WAIT_MILLIS = 10_000;

    /** One delivery, as the loop saw it. */
    record Delivery(JsonKey channel, long offset, JsonNode data, String epoch) {}

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final ThreadEventLoop loop;
    final RedisEngine engine;
    final RedisBroker broker;
    /** loop-written, read under its own lock */
    private final List<Delivery> deliveries = new ArrayList<>();
    final AtomicInteger interruptions = new AtomicInteger();

    private final AtomicLong beats = new AtomicLong();

    Node(RedisConfig config) {
        this(config, LoopConfig.defaults());
    }

    Node(RedisConfig config, LoopConfig loopConfig) {
        loop = new ThreadEventLoop("loop-" + config.nodeId(), loopConfig, meters);
        // totals that grow at every beat (10 in, 20 out), so the heartbeat carries rates above zero
        engine = RedisEngine.start(config, loop, meters, () -> {
            long beat = beats.incrementAndGet();
            return new NodeLoad("127.0.0.1:0", 1, 2, 0, beat * 10, beat * 20);
        });
        broker = engine.broker();
        loop.execute(() -> broker.start(new BrokerEvents() {
            @Override
            public void onPublication(JsonKey channel, Publication publication, String epoch) {
                synchronized (deliveries) {
                    deliveries.add(new Delivery(channel, publication.offset(), publication.data(), epoch));
                }
            }

            @Override
            public void onDeliveryInterrupted() {
                interruptions.incrementAndGet();
            }
        }));
    }

    PublishResult publish(JsonKey channel, JsonNode data, PublishOptions options) {
        return call(done -> broker.publish(channel, data, options, done));
    }

    void subscribe(JsonKey channel) {
        call((BiConsumer<Void, Throwable> done) -> broker.subscribe(channel, done));
    }

    void unsubscribe(JsonKey channel) {
        loop.execute(() -> broker.unsubscribe(channel));
    }

    HistoryResult history(JsonKey channel, HistoryQuery query) {
        return call(done -> broker.history(channel, query, done));
    }

    List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    List<Delivery> deliveries(JsonKey channel) {
        return deliveries().stream().filter(delivery -> delivery.channel().equals(channel)).toList();
    }

    int deliveryCount() {
        synchronized (deliveries) {
            return deliveries.size();
        }
    }

    void awaitAvailable() {
        await(broker::available, "broker available");
    }

    /** Runs {@code call} on the loop and waits for the value its callback gets; its failure is thrown as is. */
    <T> T call(Consumer<BiConsumer<T, Throwable>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> call.accept((value, failure) -> {
            if (!loop.inLoop()) {
                result.completeExceptionally(new AssertionError("callback off the loop"));
            } else if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        }));
        try {
            return result.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("no answer within " + WAIT_MILLIS + " ms", e);
        }
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS * 2;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        engine.close();
        loop.shutdown(Duration.ofSeconds(2));
    }
}
