package io.squall.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.redis.testing.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Heartbeats over the control channel: nodes appear, and vanish a few beats after they stop. */
class ClusterNodesTest {

    @Test
    void nodes_see_each_other_and_forget_a_stopped_one() {
        Duration beat = Duration.ofMillis(100);
        try (RedisServer redis = RedisServer.start();
                Node a = new Node(RedisConfig.standalone(redis.uri(), "a").withHeartbeatInterval(beat))) {
            Node b = new Node(RedisConfig.standalone(redis.uri(), "b").withHeartbeatInterval(beat));
            try {
                Node.await(() -> a.engine.nodes().live().size() == 2, "a hears b");
                assertThat(a.engine.nodes().live()).extracting(ClusterNodes.Node::nodeId).containsExactly("a", "b");
                assertThat(a.engine.nodes().live().get(1))
                        .isEqualTo(new ClusterNodes.Node("b", "127.0.0.1:0", 1, 2));
                assertThat(a.meters.get("broker.redis.nodes.live").gauge().value()).isEqualTo(2);
                assertThat(a.meters.get("broker.redis.connected").gauge().value()).isEqualTo(1);
            } finally {
                b.close();
            }
            Node.await(() -> a.engine.nodes().live().size() == 1, "a forgets b");
        }
    }
}
