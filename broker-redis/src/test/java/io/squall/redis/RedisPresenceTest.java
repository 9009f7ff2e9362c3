package io.squall.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.squall.core.broker.PresenceInfo;
import io.squall.core.broker.PresenceStats;
import io.squall.api.JsonKey;
import io.squall.redis.testing.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Presence shared by two nodes through one real Redis. */
class RedisPresenceTest {
    private static RedisServer redis;
    private static Node a;
    private static Node b;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = new Node(RedisConfig.standalone(redis.uri(), "a").withPresenceTtl(Duration.ofSeconds(1)));
        b = new Node(RedisConfig.standalone(redis.uri(), "b").withPresenceTtl(Duration.ofSeconds(1)));
        a.awaitAvailable();
        b.awaitAvailable();
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        redis.close();
    }

    private static void add(Node node, JsonKey channel, String clientId, String identity) {
        PresenceInfo info = new PresenceInfo(clientId, identity == null ? null : TextNode.valueOf(identity));
        node.call((BiConsumer<Void, Throwable> done) -> node.engine.presence().add(channel, info, done));
    }

    private static Map<String, PresenceInfo> presence(Node node, JsonKey channel) {
        return node.call(done -> node.engine.presence().presence(channel, done));
    }

    private static PresenceStats stats(Node node, JsonKey channel) {
        return node.call(done -> node.engine.presence().stats(channel, done));
    }

    @Test
    void connections_added_on_two_nodes_are_listed_counted_and_removed_everywhere() {
        JsonKey channel = JsonKey.of("lobby");
        add(a, channel, "a-1", "alice");
        add(a, channel, "a-2", "alice");
        add(b, channel, "b-1", "bob");
        add(b, channel, "b-2", null);

        Map<String, PresenceInfo> present = presence(b, channel);
        assertThat(present).containsOnlyKeys("a-1", "a-2", "b-1", "b-2");
        assertThat(present.get("a-1").identity().asText()).isEqualTo("alice");
        assertThat(present.get("b-2").identity()).isNull();
        assertThat(stats(a, channel)).isEqualTo(new PresenceStats(4, 2));

        b.call((BiConsumer<Void, Throwable> done) -> b.engine.presence().remove(channel, "a-1", done));
        assertThat(presence(a, channel)).containsOnlyKeys("a-2", "b-1", "b-2");
    }

    @Test
    void entries_not_refreshed_within_the_ttl_expire() {
        JsonKey channel = JsonKey.of("expiring");
        add(a, channel, "stale", "carol");
        RedisServer.sleep(1_200);
        add(b, channel, "fresh", "dave");
        // the zset entry of "stale" is past its score although the keys live on (refreshed by "fresh")
        Node.await(() -> presence(a, channel).keySet().equals(java.util.Set.of("fresh")), "stale entry dropped");
        assertThat(stats(b, channel)).isEqualTo(new PresenceStats(1, 1));
        Node.await(() -> presence(a, channel).isEmpty(), "whole channel expired");
    }
}
