package io.squall.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.redis.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Heartbeats over the control channel: nodes appear, and vanish once silent for the node timeout. */
class ClusterNodesTest {
    private static final ClusterNodes.Node B = new ClusterNodes.Node("b", "127.0.0.1:0", 0, 0);

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    @Test
    void a_node_is_down_once_its_latest_beat_is_older_than_the_node_timeout_and_reported_once() {
        ClusterNodes nodes = new ClusterNodes(Duration.ofMillis(1000));
        List<String> down = new CopyOnWriteArrayList<>();
        nodes.onDown(down::add);
        nodes.heard(B, ms(0));
        nodes.heard(B, ms(900));

        nodes.expire(ms(1900));
        assertThat(down).as("exactly the timeout since its latest beat: still live").isEmpty();
        assertThat(nodes.liveIds()).containsExactly("b");

        nodes.expire(ms(1901));
        nodes.expire(ms(5000));
        assertThat(down).containsExactly("b");
        assertThat(nodes.liveIds()).isEmpty();
    }

    @Test
    void a_node_whose_own_loop_stalls_past_the_timeout_does_not_declare_the_others_down() throws Exception {
        // 200 ms beats, 500 ms timeout; a's loop is blocked 1.5 s while b keeps beating: when a wakes, b's beats
        // wait behind its timers, and judging b on its latest beat a has processed would find it 1.5 s silent
        Duration beat = Duration.ofMillis(200);
        try (RedisServer redis = RedisServer.start();
                Node a = new Node(RedisConfig.standalone(redis.uri(), "a").withHeartbeatInterval(beat))) {
            Node b = new Node(RedisConfig.standalone(redis.uri(), "b").withHeartbeatInterval(beat));
            List<String> down = new CopyOnWriteArrayList<>();
            a.loop.execute(() -> a.engine.serviceBus().onNodeDown(down::add));
            Node.await(() -> a.engine.nodes().liveIds().contains("b"), "a hears b");
            a.loop.execute(() -> sleep(1500));
            sleep(2000); // the stall, then time for a to judge again with b's beats taken in
            try {
                assertThat(down).as("b beat throughout").isEmpty();
                assertThat(a.engine.nodes().liveIds()).contains("b");
            } finally {
                b.close();
            }
            Node.await(() -> down.contains("b"), "b, silent for good, is down");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void nodes_see_each_other_and_forget_a_stopped_one() {
        Duration beat = Duration.ofMillis(100);
        try (RedisServer redis = RedisServer.start();
                Node a = new Node(RedisConfig.standalone(redis.uri(), "a").withHeartbeatInterval(beat))) {
            Node b = new Node(RedisConfig.standalone(redis.uri(), "b").withHeartbeatInterval(beat));
            try {
                Node.await(() -> a.engine.nodes().live().size() == 2, "a hears b");
                assertThat(a.engine.nodes().live()).extracting(ClusterNodes.Node::nodeId).containsExactly("a", "b");
                Node.await(() -> a.engine.nodes().live().get(1).activity().messagesInPerSecond() > 0,
                        "b's second beat, with rates");
                ClusterNodes.Node b1 = a.engine.nodes().live().get(1);
                assertThat(b1).extracting(ClusterNodes.Node::nodeId, ClusterNodes.Node::address,
                        ClusterNodes.Node::connections, ClusterNodes.Node::subscriptions)
                        .containsExactly("b", "127.0.0.1:0", 1L, 2L);
                assertThat(b1.activity().loopQueue()).isZero();
                assertThat(b1.activity().messagesOutPerSecond()).as("20 out per beat, 10 in")
                        .isGreaterThan(b1.activity().messagesInPerSecond());
                assertThat(a.meters.get("broker.redis.nodes.live").gauge().value()).isEqualTo(2);
                assertThat(a.meters.get("broker.redis.connected").gauge().value()).isEqualTo(1);
            } finally {
                b.close();
            }
            Node.await(() -> a.engine.nodes().live().size() == 1, "a forgets b");
        }
    }
}
