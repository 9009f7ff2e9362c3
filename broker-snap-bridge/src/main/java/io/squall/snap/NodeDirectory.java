package io.squall.snap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes heard on the mesh and when. A node joins when first heard (or heard again after leaving) and leaves
 * when silent for the node timeout; the directory is bounded, forgetting the longest-silent node when full.
 * Loop thread only; time comes from the loop's clock so tests move it virtually.
 */
final class NodeDirectory {

    /** What the directory knows of one node. */
    static final class Node {
        final int address;
        final Instant firstSeen;
        Instant lastSeen;
        long lastSeenNanos;
        long messages;
        String lastFunction;
        boolean online;

        Node(int address, Instant now) {
            this.address = address;
            this.firstSeen = now;
        }
    }

    private final long timeoutNanos;
    private final int capacity;
    /** In access order: the eldest entry is the node heard least recently. */
    private final LinkedHashMap<Integer, Node> nodes = new LinkedHashMap<>(64, 0.75f, true);

    NodeDirectory(long timeoutNanos, int capacity) {
        this.timeoutNanos = timeoutNanos;
        this.capacity = capacity;
    }

    /** Records a message from {@code address}; returns the node when this made it join, else null. */
    Node heard(int address, String function, Instant now, long nanos) {
        Node node = nodes.get(address);
        if (node == null) {
            if (nodes.size() >= capacity) {
                Iterator<Map.Entry<Integer, Node>> eldest = nodes.entrySet().iterator();
                eldest.next();
                eldest.remove();
            }
            node = new Node(address, now);
            nodes.put(address, node);
        }
        node.lastSeen = now;
        node.lastSeenNanos = nanos;
        node.messages++;
        node.lastFunction = function;
        boolean joined = !node.online;
        node.online = true;
        return joined ? node : null;
    }

    /** Marks nodes silent past the timeout as gone and returns them. */
    List<Node> sweep(long nanos) {
        List<Node> left = new ArrayList<>();
        for (Node node : nodes.values()) {
            if (node.online && nanos - node.lastSeenNanos >= timeoutNanos) {
                node.online = false;
                left.add(node);
            }
        }
        return left;
    }

    /** Every known node, least recently heard first. */
    List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    /** Forgets every node (this node no longer runs the port). */
    void clear() {
        nodes.clear();
    }

    int online() {
        int n = 0;
        for (Node node : nodes.values()) {
            if (node.online) {
                n++;
            }
        }
        return n;
    }
}
