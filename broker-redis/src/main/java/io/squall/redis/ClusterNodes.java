package io.squall.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The Squall nodes that announced themselves recently on the control channel, this one included. Updated on the
 * event loop; {@link #live()} may be read from any thread (health checks, metrics).
 */
public final class ClusterNodes {

    /**
     * One node as its latest heartbeat described it; {@code activity} is null when the heartbeat did not carry it
     * (a node of an older version, during a rolling upgrade).
     */
    public record Node(String nodeId, String address, long connections, long subscriptions, Activity activity) {
        /** A node whose heartbeat tells no activity. */
        public Node(String nodeId, String address, long connections, long subscriptions) {
            this(nodeId, address, connections, subscriptions, null);
        }
    }

    /**
     * How busy a node is: tasks waiting on its event loop when it beat, and the messages its services received and
     * sent per second (one per recipient) over its previous heartbeat interval.
     */
    public record Activity(long loopQueue, double messagesInPerSecond, double messagesOutPerSecond) {}

    private record Seen(Node node, long atNanos) {}

    private final long timeoutNanos;
    private final Map<String, Seen> seen = new HashMap<>();
    private volatile List<Node> live = List.of();
    /** told (on the loop) the id of each node whose heartbeats stopped */
    private Consumer<String> down = node -> {};

    ClusterNodes(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    void onDown(Consumer<String> listener) {
        this.down = listener;
    }

    /** How long a node stays live after its latest heartbeat ({@code redis.node.timeout}). */
    Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    /** The ids of the live nodes; any thread. */
    public Set<String> liveIds() {
        Set<String> ids = new HashSet<>();
        live.forEach(node -> ids.add(node.nodeId()));
        return ids;
    }

    /** The nodes whose latest heartbeat is younger than the node timeout, sorted by node id. */
    public List<Node> live() {
        return live;
    }

    void heard(Node node, long nowNanos) {
        seen.put(node.nodeId(), new Seen(node, nowNanos));
        refresh(nowNanos);
    }

    void expire(long nowNanos) {
        List<String> gone = new ArrayList<>();
        seen.values().removeIf(entry -> {
            boolean expired = nowNanos - entry.atNanos() > timeoutNanos;
            if (expired) {
                gone.add(entry.node().nodeId());
            }
            return expired;
        });
        if (!gone.isEmpty()) {
            refresh(nowNanos);
            gone.forEach(down);
        }
    }

    private void refresh(long nowNanos) {
        live = seen.values().stream()
                .filter(entry -> nowNanos - entry.atNanos() <= timeoutNanos)
                .map(Seen::node)
                .sorted((a, b) -> a.nodeId().compareTo(b.nodeId()))
                .toList();
    }
}
