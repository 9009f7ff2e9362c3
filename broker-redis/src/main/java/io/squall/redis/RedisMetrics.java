package io.squall.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.squall.core.metrics.LatencyHistogram;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/** The engine's meters, all named {@code broker.redis.*}. */
final class RedisMetrics {
    final Counter reconnects;
    final Counter probes;
    final Counter staleRebuilds;
    final Counter dropped;
    final Timer publishLatency;
    final Timer pubSubLag;

    RedisMetrics(MeterRegistry meters) {
        reconnects = Counter.builder("broker.redis.pubsub.reconnects")
                .description("Pub/sub connections rebuilt after they were lost (every channel resubscribed)")
                .register(meters);
        probes = Counter.builder("broker.redis.pubsub.probes")
                .description("Probes a silent pub/sub connection sent to itself")
                .register(meters);
        staleRebuilds = Counter.builder("broker.redis.pubsub.stale.rebuilds")
                .description("Pub/sub connections rebuilt because their probe never came back (open but deaf)")
                .register(meters);
        dropped = Counter.builder("broker.redis.pubsub.dropped")
                .description("Publications received from Redis but dropped because the event loop was full")
                .register(meters);
        publishLatency = LatencyHistogram.of(Timer.builder("broker.redis.publish.latency")
                .description("From sending a publish to Redis to its answer"))
                .register(meters);
        pubSubLag = LatencyHistogram.of(Timer.builder("broker.redis.pubsub.lag")
                .description("From a publish (publisher's clock) to its arrival from Redis (this node's clock)"))
                .register(meters);
    }

    static void gauges(MeterRegistry meters, BooleanSupplier connected, IntSupplier liveNodes) {
        Gauge.builder("broker.redis.connected", () -> connected.getAsBoolean() ? 1 : 0)
                .description("1 while every Redis of the engine is connected")
                .register(meters);
        Gauge.builder("broker.redis.nodes.live", liveNodes::getAsInt)
                .description("Squall nodes whose heartbeat arrived recently, this one included")
                .register(meters);
    }
}
