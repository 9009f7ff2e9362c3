package io.squall.server.cluster;

import java.time.Duration;

/**
 * The node heartbeat of the tests that kill or pause nodes: 400 ms beats and a 1.6 s node timeout, so a killed node
 * is found down 1.2 s to 1.7 s after its death instead of 4.5 s to 8.25 s with the defaults (3 s, 7.5 s). Four beats
 * of patience rather than the default two and a half: a loaded 2-core CI machine stalls a node process for a second
 * now and then, and a live node taken for dead would make the tests' event counts wrong. Every node of one test
 * gets the same values, as in production. {@code -Dsquall.test.heartbeat.ms=3000 -Dsquall.test.node.timeout.ms=7500}
 * runs the same tests with the defaults, to measure the cleanup after a death (docs/cluster.md).
 */
final class Liveness {
    static final Duration HEARTBEAT = Duration.ofMillis(Long.getLong("squall.test.heartbeat.ms", 400));
    static final Duration NODE_TIMEOUT = Duration.ofMillis(Long.getLong("squall.test.node.timeout.ms", 1600));

    private Liveness() {}

    static String describe() {
        return "heartbeat " + HEARTBEAT.toMillis() + " ms, node timeout " + NODE_TIMEOUT.toMillis() + " ms";
    }

    /** The flags (without {@code --}) to give every node of a test. */
    static String[] flags() {
        return new String[] {"redis.heartbeat.interval=" + HEARTBEAT.toMillis() + "ms",
            "redis.node.timeout=" + NODE_TIMEOUT.toMillis() + "ms"};
    }
}
