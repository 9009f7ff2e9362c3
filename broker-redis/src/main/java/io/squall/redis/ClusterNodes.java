package io.squall.redis;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Squall nodes that announced themselves recently on the control channel, this one included. Updated on the
 * event loop; {@link #live()} may be read from any thread (health checks, metrics).
 */
public final class ClusterNodes {

    /** One node as its latest heartbeat described it. */
    public record Node(String nodeId, String address, long connections, long subscriptions) {}

    private record Seen(Node node, long atNanos) {}

    private final long expiryNanos;
    private final Map<String, Seen> seen = new HashMap<>();
    private volatile List<Node> live = List.of();

    ClusterNodes(Duration expiry) {
        this.expiryNanos = expiry.toNanos();
    }

    /** The nodes whose latest heartbeat is younger than about three beats, sorted by node id. */
    public List<Node> live() {
        return live;
    }

    void heard(Node node, long nowNanos) {
        seen.put(node.nodeId(), new Seen(node, nowNanos));
        refresh(nowNanos);
    }

    void expire(long nowNanos) {
        if (seen.values().removeIf(entry -> nowNanos - entry.atNanos() > expiryNanos)) {
            refresh(nowNanos);
        }
    }

    private void refresh(long nowNanos) {
        live = seen.values().stream()
                .filter(entry -> nowNanos - entry.atNanos() <= expiryNanos)
                .map(Seen::node)
                .sorted((a, b) -> a.nodeId().compareTo(b.nodeId()))
                .toList();
    }
}
