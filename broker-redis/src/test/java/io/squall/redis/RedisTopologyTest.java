package io.squall.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.squall.core.broker.HistoryPolicy;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.PublishOptions;
import io.lettuce.core.cluster.SlotHash;
import io.squall.api.JsonKey;
import io.squall.redis.testing.RedisCluster;
import io.squall.redis.testing.RedisSentinel;
import io.squall.redis.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Channels spread over several Redis: a 3-master cluster (sharded pub/sub) and client-side sharding. */
class RedisTopologyTest {
    private static final PublishOptions HISTORY = PublishOptions.of(new HistoryPolicy(10, Duration.ofMinutes(5)));
    private static final List<JsonKey> CHANNELS =
            IntStream.range(0, 24).mapToObj(i -> JsonKey.of("room-" + i)).toList();

    @Test
    @Timeout(60)
    void a_cluster_spreads_channels_over_every_master_and_delivers_them_to_every_node() {
        try (RedisCluster cluster = RedisCluster.start();
                Node a = new Node(RedisConfig.of(RedisConfig.Mode.CLUSTER, cluster.uris(), "a"));
                Node b = new Node(RedisConfig.of(RedisConfig.Mode.CLUSTER, List.of(cluster.uris().get(1)), "b"))) {
            a.awaitAvailable();
            b.awaitAvailable();
            exchange(a, b);
            assertThat(cluster.masters()).allSatisfy(master ->
                    assertThat(Long.parseLong(master.cli("dbsize"))).as("keys on " + master.port()).isPositive());

            // our own SUNSUBSCRIBE confirmations are not taken for moved slots
            CHANNELS.forEach(a::unsubscribe);
            CHANNELS.forEach(a::subscribe);
            RedisServer.sleep(200);
            assertThat(a.interruptions.get()).isZero();
            b.publish(CHANNELS.get(0), IntNode.valueOf(4), HISTORY);
            Node.await(() -> a.deliveries(CHANNELS.get(0)).size() == 4, "delivery after resubscribing");
            Node.await(() -> a.engine.nodes().live().size() == 2 && b.engine.nodes().live().size() == 2,
                    "both nodes heard (heartbeats every 3 s)");
            assertThat(b.engine.nodes().live()).extracting(ClusterNodes.Node::nodeId).containsExactly("a", "b");
        }
    }

    @Test
    @Timeout(60)
    void a_slot_moved_to_another_master_is_followed_by_the_subscribed_node() {
        JsonKey channel = JsonKey.of("moving");
        int slot = SlotHash.getSlot(new ChannelNames("squall", 128).tag(new ChannelNames("squall", 128)
                .partition(channel)));
        try (RedisCluster cluster = RedisCluster.start();
                Node a = new Node(RedisConfig.of(RedisConfig.Mode.CLUSTER, cluster.uris(), "a"));
                Node b = new Node(RedisConfig.of(RedisConfig.Mode.CLUSTER, cluster.uris(), "b"))) {
            a.awaitAvailable();
            b.awaitAvailable();
            a.subscribe(channel);
            b.publish(channel, IntNode.valueOf(1), PublishOptions.LIVE_ONLY);
            Node.await(() -> a.deliveries(channel).size() == 1, "delivery before the move");

            RedisServer before = cluster.owner(slot);
            RedisServer after = cluster.masters().stream().filter(master -> master != before).findFirst().orElseThrow();
            cluster.moveEmptySlot(slot, after);
            assertThat(cluster.owner(slot)).isSameAs(after);

            Node.await(() -> a.interruptions.get() > 0, "a resubscribed on the new owner");
            Node.await(() -> {
                b.publish(channel, IntNode.valueOf(2), PublishOptions.LIVE_ONLY);
                RedisServer.sleep(50);
                return a.deliveries(channel).stream().anyMatch(delivery -> delivery.data().asInt() == 2);
            }, "delivery after the move");
        }
    }

    @Test
    void a_node_finds_its_master_through_sentinel() {
        try (RedisServer master = RedisServer.start();
                RedisSentinel sentinel = RedisSentinel.watching(master);
                Node a = new Node(RedisConfig.standalone(sentinel.uri(), "a"));
                Node b = new Node(RedisConfig.standalone(master.uri(), "b"))) {
            a.awaitAvailable();
            b.awaitAvailable();
            JsonKey channel = JsonKey.of("via-sentinel");
            a.subscribe(channel);
            b.publish(channel, IntNode.valueOf(1), HISTORY);
            Node.await(() -> a.deliveries(channel).size() == 1, "delivery through the sentinel-found master");
            assertThat(a.history(channel, new HistoryQuery(0, 10, false)).publications()).hasSize(1);
        }
    }

    @Test
    void client_side_sharding_spreads_channels_over_independent_redis() {
        try (RedisServer first = RedisServer.start();
                RedisServer second = RedisServer.start()) {
            List<String> shards = List.of(first.uri(), second.uri());
            try (Node a = new Node(RedisConfig.of(RedisConfig.Mode.SHARDED, shards, "a"));
                    Node b = new Node(RedisConfig.of(RedisConfig.Mode.SHARDED, shards, "b"))) {
                a.awaitAvailable();
                b.awaitAvailable();
                exchange(a, b);
                assertThat(List.of(first, second)).allSatisfy(redis ->
                        assertThat(Long.parseLong(redis.cli("dbsize"))).as("keys on " + redis.port()).isPositive());
            }
        }
    }

    /** Every channel: subscribed on both nodes, two publications from either node, seen in order with history. */
    private static void exchange(Node a, Node b) {
        CHANNELS.forEach(channel -> {
            a.subscribe(channel);
            b.subscribe(channel);
        });
        for (JsonKey channel : CHANNELS) {
            a.publish(channel, IntNode.valueOf(1), HISTORY);
            b.publish(channel, IntNode.valueOf(2), HISTORY);
            a.publish(channel, IntNode.valueOf(3), PublishOptions.LIVE_ONLY);
        }
        Node.await(() -> CHANNELS.stream().allMatch(channel ->
                a.deliveries(channel).size() == 3 && b.deliveries(channel).size() == 3), "every delivery");
        for (JsonKey channel : CHANNELS) {
            assertThat(b.deliveries(channel)).extracting(Node.Delivery::offset).containsExactly(1L, 2L, 0L);
            assertThat(a.history(channel, new HistoryQuery(0, 10, false)).publications())
                    .extracting(p -> p.data().asInt()).containsExactly(1, 2);
        }
    }
}
