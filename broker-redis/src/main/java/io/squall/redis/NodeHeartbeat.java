package io.squall.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.loop.Cancellable;
import io.squall.core.loop.LoopOverloadedException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node liveness: every heartbeat interval this node publishes who it is on the control channel (classic PUBLISH,
 * which reaches every node even in a cluster) and listens to the others' beats into {@link ClusterNodes}. Four times
 * per interval it looks for nodes whose latest beat is older than the node timeout, so a death is found at most a
 * quarter interval after the timeout ran out (checking once per beat would add up to a whole interval).
 */
final class NodeHeartbeat implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeHeartbeat.class);

    private final RedisConnections redis;
    private final ObjectMapper mapper;
    private final Supplier<NodeLoad> load;
    private final ClusterNodes nodes;
    private final PubSubLink link;
    private final Cancellable timer;
    private final Cancellable checker;
    private final long checkNanos;
    /** run when this node's own beats were late past the others' patience: they took it for dead */
    private final Runnable stalled;
    private long lastBeat;
    /** this node's load at its previous beat, for the message rates; null before the first */
    private NodeLoad previous;
    private long lastCheck;
    private boolean skipped;

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
        Duration check = redis.config.heartbeatInterval().dividedBy(4);
        this.checkNanos = check.toNanos();
        this.checker = redis.loop.scheduleAtFixedRate(check, check, this::check);
    }

    /**
     * Reports the nodes silent past the timeout, unless this check itself came more than a heartbeat late: then this
     * node's loop (or JVM) was stalled, the others' beats that arrived meanwhile may still wait behind it, and
     * judging now would declare live nodes dead. Such a check is skipped once; the next one judges.
     */
    private void check() {
        long now = System.nanoTime();
        boolean stalled = lastCheck != 0 && now - lastCheck > checkNanos + redis.config.heartbeatInterval().toNanos();
        lastCheck = now;
        if (stalled && !skipped) {
            skipped = true;
            return;
        }
        skipped = false;
        nodes.expire(now);
    }

    private void beat() {
        NodeLoad current = load.get();
        long now = System.nanoTime();
        ClusterNodes.Activity activity = new ClusterNodes.Activity(current.loopQueue(),
                perSecond(current.messagesIn() - (previous == null ? 0 : previous.messagesIn()), now),
                perSecond(current.messagesOut() - (previous == null ? 0 : previous.messagesOut()), now));
        ClusterNodes.Node self = new ClusterNodes.Node(redis.config.nodeId(), current.address(),
                current.connections(), current.subscriptions(), activity);
        boolean late = lastBeat != 0 && now - lastBeat > nodes.timeout().toNanos();
        lastBeat = now;
        previous = current;
        try {
            redis.publish(0, redis.names.control(), HeartbeatJson.write(mapper, self), false);
        } catch (RuntimeException e) {
            log.debug("redis: heartbeat not sent ({})", e.toString());
        }
        if (late) {
            stalled.run();
        }
    }

    /** Per second since the previous beat, to one decimal (0 at the first beat: nothing to compare with). */
    private double perSecond(long delta, long now) {
        if (lastBeat == 0 || now <= lastBeat || delta < 0) {
            return 0;
        }
        return Math.round(delta * 1e10 / (now - lastBeat)) / 10.0;
    }

    /** On a Lettuce thread. */
    private void received(String channel, String message) {
        ClusterNodes.Node node;
        try {
            node = HeartbeatJson.read(mapper, message);
        } catch (IllegalArgumentException e) {
            log.warn("redis: undecodable heartbeat dropped ({})", e.getMessage());
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
        checker.cancel();
        link.close();
    }
}
