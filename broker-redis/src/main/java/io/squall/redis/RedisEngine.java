package io.squall.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.squall.core.json.Json;
import io.squall.core.loop.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis engine of one Squall node: a {@link RedisBroker}, a {@link RedisPresence} and the node's heartbeat
 * ({@link ClusterNodes}) over one set of Redis connections.
 *
 * <pre>{@code
 * RedisConfig config = RedisConfig.standalone("redis://localhost:6379", "node-1");   // or RedisConfig.of(mode, ...)
 * RedisEngine engine = RedisEngine.start(config, loop, meters, () -> new NodeLoad("10.0.0.5:8080", conns, subs));
 * Broker broker = engine.broker();             // then broker.start(events) on the loop, as for MemoryBroker
 * PresenceManager presence = engine.presence();
 * ...
 * engine.close();                              // closes both and every connection
 * }</pre>
 *
 * Starting never waits for Redis: the engine connects in the background, reports {@link #available()} false until
 * then, and its calls fail fast with BrokerUnavailableException meanwhile.
 */
public final class RedisEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisEngine.class);
    private final EventLoop loop;
    private final RedisConnections redis;
    private final RedisBroker broker;
    private final RedisPresence presence;
    private final ClusterNodes nodes;
    private NodeHeartbeat heartbeat;

    private RedisEngine(RedisConfig config, EventLoop loop, MeterRegistry meters, Supplier<NodeLoad> load) {
        this.loop = loop;
        ObjectMapper mapper = Json.mapper();
        RedisMetrics metrics = new RedisMetrics(meters);
        this.redis = new RedisConnections(config, loop, metrics);
        this.broker = new RedisBroker(redis, mapper);
        this.presence = new RedisPresence(redis, mapper);
        this.nodes = new ClusterNodes(config.heartbeatInterval().multipliedBy(3).plusMillis(500));
        RedisMetrics.gauges(meters, redis::connected, () -> nodes.live().size());
        loop.executeCritical(() -> heartbeat = new NodeHeartbeat(redis, mapper, load, nodes));
    }

    /**
     * Builds the engine; callable from any thread. {@code load} is called on the loop at every heartbeat.
     */
    public static RedisEngine start(RedisConfig config, EventLoop loop, MeterRegistry meters, Supplier<NodeLoad> load) {
        return new RedisEngine(config, loop, meters, load);
    }

    public RedisBroker broker() {
        return broker;
    }

    public RedisPresence presence() {
        return presence;
    }

    /** The live Squall nodes sharing this Redis, for health and metrics. */
    public ClusterNodes nodes() {
        return nodes;
    }

    /** True while every Redis of the engine answers. */
    public boolean available() {
        return redis.connected();
    }

    /**
     * Closes the broker, the presence and every connection; from any thread. Off the loop it waits (up to 5 s) until
     * the Redis clients have released their threads; on the loop it does not wait.
     */
    @Override
    public void close() {
        CompletableFuture<Void> linksClosed = new CompletableFuture<>();
        Runnable closeOnLoop = () -> {
            if (heartbeat != null) {
                heartbeat.close();
            }
            broker.close();
            presence.close();
            redis.closeLinks().whenComplete((ignored, failure) -> linksClosed.complete(null));
        };
        if (loop.inLoop()) {
            closeOnLoop.run();
            linksClosed.thenRun(redis::close);
            return;
        }
        loop.executeCritical(closeOnLoop);
        try {
            linksClosed.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("redis: pub/sub connections not closed within 5 s ({})", e.toString());
        }
        redis.close();
        try {
            redis.shutdown().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("redis: clients not shut down within 5 s ({})", e.toString());
        }
    }
}
