package io.squall.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.loop.Cancellable;
import io.squall.core.loop.LoopOverloadedException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node liveness: every heartbeat interval this node publishes who it is on the control channel (classic PUBLISH,
 * which reaches every node even in a cluster) and listens to the others' beats into {@link ClusterNodes}.
 */
final class NodeHeartbeat implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeHeartbeat.class);

    private final RedisConnections redis;
    private final ObjectMapper mapper;
    private final Supplier<NodeLoad> load;
    private final ClusterNodes nodes;
    private final PubSubLink link;
    private final Cancellable timer;
    /** run when this node's own beats were late past the others' patience: they took it for dead */
    private final Runnable stalled;
    private long lastBeat;

    NodeHeartbeat(RedisConnections redis, ObjectMapper mapper, Supplier<NodeLoad> load, ClusterNodes nodes,
            Runnable stalled) {
        this.redis = redis;
        this.stalled = stalled;
        this.mapper = mapper;
        this.load = load;
        this.nodes = nodes;
        this.link = redis.newLink("control", "", 0, 0, true, this::received, () -> {});
        link.keep(redis.names.control());
        this.timer = redis.loop.scheduleAtFixedRate(Duration.ZERO, redis.config.heartbeatInterval(),
                this::beat);
    }

    private void beat() {
        NodeLoad current = load.get();
        ClusterNodes.Node self = new ClusterNodes.Node(redis.config.nodeId(), current.address(),
                current.connections(), current.subscriptions());
        long now = System.nanoTime();
        boolean late = lastBeat != 0 && now - lastBeat > nodes.expiry().toNanos();
        lastBeat = now;
        nodes.expire(now);
        try {
            redis.publish(0, redis.names.control(), mapper.writeValueAsString(self), false);
        } catch (RuntimeException | JsonProcessingException e) {
            log.debug("redis: heartbeat not sent ({})", e.toString());
        }
        if (late) {
            stalled.run();
        }
    }

    /** On a Lettuce thread. */
    private void received(String channel, String message) {
        ClusterNodes.Node node;
        try {
            JsonNode beat = mapper.readTree(message);
            node = mapper.treeToValue(beat, ClusterNodes.Node.class);
        } catch (RuntimeException | JsonProcessingException e) {
            log.warn("redis: undecodable heartbeat dropped ({})", e.toString());
            return;
        }
        try {
            redis.loop.execute(() -> nodes.heard(node, System.nanoTime()));
        } catch (LoopOverloadedException ignored) {
            // a lost beat costs nothing (the next comes within an interval); dropped counts publications only
        }
    }

    @Override
    public void close() {
        timer.cancel();
        link.close();
    }
}
