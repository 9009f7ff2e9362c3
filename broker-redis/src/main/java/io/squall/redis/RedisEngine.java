package io.squall.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.squall.core.broker.Engine;
import io.squall.core.cluster.Occupancy;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.json.Json;
import io.squall.core.loop.EventLoop;
import java.util.function.Supplier;

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
public final class RedisEngine implements Engine {
    private final EventLoop loop;
    private final RedisConnections redis;
    private final RedisBroker broker;
    private final RedisPresence presence;
    private final ClusterNodes nodes;
    private final ServiceBus serviceBus;
    private final RedisOccupancy occupancy;
    private final RedisConfig config;
    private final ChannelNames serviceNames;
    private NodeHeartbeat heartbeat;

    private RedisEngine(RedisConfig config, EventLoop loop, MeterRegistry meters, Supplier<NodeLoad> load) {
        this.loop = loop;
        ObjectMapper mapper = Json.mapper();
        RedisMetrics metrics = new RedisMetrics(meters);
        this.redis = new RedisConnections(config, loop, metrics);
        this.broker = new RedisBroker(redis, mapper);
        this.presence = new RedisPresence(redis, mapper);
        this.nodes = new ClusterNodes(config.nodeTimeout());
        // the services' own namespace: no client channel can name these keys and pub/sub channels
        this.config = config;
        this.serviceNames = new ChannelNames(config.keyPrefix() + ".svc", config.partitions());
        this.serviceBus = new ServiceBus(loop, config.nodeId(), true,
                new RedisBroker(redis, mapper, serviceNames, "services", true),
                new RedisPresence(redis, mapper, serviceNames), new RedisClaims(redis, mapper, serviceNames),
                nodes::liveIds);
        this.occupancy = occupancy(RedisOccupancy.MAX_KEPT);
        nodes.onDown(node -> {
            // while this node cannot reach Redis it hears nobody: that says nothing about the others (the
            // services re-read what is there once Redis answers)
            if (!node.equals(config.nodeId()) && redis.connected()) {
                serviceBus.nodeDown(node);
            }
        });
        RedisMetrics.gauges(meters, redis::connected, () -> nodes.live().size());
        loop.executeCritical(() -> heartbeat = new NodeHeartbeat(redis, mapper, load, nodes,
                () -> serviceBus.resync("this node was stalled past the other nodes' patience")));
    }

    /**
     * Builds the engine; callable from any thread. {@code load} is called on the loop at every heartbeat.
     */
    public static RedisEngine start(RedisConfig config, EventLoop loop, MeterRegistry meters, Supplier<NodeLoad> load) {
        return new RedisEngine(config, loop, meters, load);
    }

    @Override
    public RedisBroker broker() {
        return broker;
    }

    @Override
    public RedisPresence presence() {
        return presence;
    }

    @Override
    public ServiceBus serviceBus() {
        return serviceBus;
    }

    @Override
    public Occupancy occupancy() {
        return occupancy;
    }

    /** This node's occupancy over the same keys, keeping at most {@code maxKept} changes per partition (tests). */
    RedisOccupancy occupancy(int maxKept) {
        return new RedisOccupancy(redis, Json.mapper(), serviceNames, config.keyPrefix() + ".svc", config.nodeId(),
                maxKept);
    }

    /** The live Squall nodes sharing this Redis, for health and metrics. */
    public ClusterNodes nodes() {
        return nodes;
    }

    @Override
    public String name() {
        return "redis";
    }

    /** True while every Redis of the engine answers. */
    @Override
    public boolean available() {
        return redis.connected();
    }

    /** Closes the broker, the presence and every connection; from any thread (waits up to 5 s for the loop). */
    @Override
    public void close() {
        redis.closeAll(() -> {
            if (heartbeat != null) {
                heartbeat.close();
            }
            broker.close();
            presence.close();
            serviceBus.close();
        });
    }
}
