package io.squall.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.cluster.Claims;
import io.squall.api.JsonKey;
import io.squall.redis.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Claims on real Redis, seen from two nodes: one owner per name, expiry, take, a dead node's names freed. */
class RedisClaimsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TTL = Duration.ofSeconds(30);
    private static RedisServer redis;
    private static Node a;
    private static Node b;
    private final JsonNode alice = owner("a", "a/1");
    private final JsonNode bob = owner("b", "b/1");

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = new Node(RedisConfig.standalone(redis.uri(), "a"));
        b = new Node(RedisConfig.standalone(redis.uri(), "b"));
        a.awaitAvailable();
        b.awaitAvailable();
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        redis.close();
    }

    private static JsonNode owner(String node, String conn) {
        return JSON.createObjectNode().put("node", node).put("conn", conn);
    }

    private static Claims claims(Node node) {
        return node.engine.serviceBus().claims();
    }

    @Test
    void two_nodes_racing_for_a_name_get_one_owner() throws Exception {
        JsonKey space = JsonKey.of("race");
        for (int i = 0; i < 50; i++) {
            String name = "n" + i;
            CompletableFuture<Boolean> byA = new CompletableFuture<>();
            CompletableFuture<Boolean> byB = new CompletableFuture<>();
            a.loop.execute(() -> claims(a).claim(space, name, alice, TTL, (ok, failure) -> byA.complete(ok)));
            b.loop.execute(() -> claims(b).claim(space, name, bob, TTL, (ok, failure) -> byB.complete(ok)));
            assertThat(byA.get(5, TimeUnit.SECONDS) ^ byB.get(5, TimeUnit.SECONDS)).as(name).isTrue();
        }
        Map<String, JsonNode> held = b.call(done -> claims(b).all(space, done));
        assertThat(held).hasSize(50);
    }

    @Test
    void refresh_release_expiry_and_take() {
        JsonKey space = JsonKey.of("life");
        assertThat(a.<Boolean>call(done -> claims(a).claim(space, "x", alice, TTL, done))).isTrue();
        assertThat(b.<Boolean>call(done -> claims(b).claim(space, "x", bob, TTL, done))).isFalse();
        assertThat(a.<Boolean>call(done -> claims(a).claim(space, "x", alice, TTL, done))).isTrue();
        assertThat(b.<JsonNode>call(done -> claims(b).owner(space, "x", done))).isEqualTo(alice);
        assertThat(b.<Boolean>call(done -> claims(b).release(space, "x", bob, done))).isFalse();
        assertThat(a.<Boolean>call(done -> claims(a).release(space, "x", alice, done))).isTrue();
        a.<Boolean>call(done -> claims(a).claim(space, "short", alice, Duration.ofMillis(300), done));
        RedisServer.sleep(400);
        assertThat(b.<Boolean>call(done -> claims(b).claim(space, "short", bob, TTL, done))).isTrue();
        a.<Void>call(done -> claims(a).put(space, "token", JSON.createObjectNode().put("q", 1), TTL, done));
        assertThat(b.<JsonNode>call(done -> claims(b).take(space, "token", done)).path("q").asInt()).isEqualTo(1);
        assertThat(a.<JsonNode>call(done -> claims(a).take(space, "token", done))).isNull();
    }

    @Test
    void a_dead_nodes_names_are_freed_by_a_survivor() {
        JsonKey space = JsonKey.of("dead");
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "a" + i;
            mine.add(name);
            a.<Boolean>call(done -> claims(a).claim(space, name, owner("a", "a/" + name), TTL, done));
        }
        b.<Boolean>call(done -> claims(b).claim(space, "b0", bob, TTL, done));
        a.<Boolean>call(done -> claims(a).claim(space, "odd", JSON.getNodeFactory().textNode("not an object"), TTL,
                done));
        assertThat(b.<Integer>call((BiConsumer<Integer, Throwable> done) -> claims(b).releaseNode(space, "a", done)))
                .isEqualTo(mine.size());
        assertThat(b.<Map<String, JsonNode>>call(done -> claims(b).all(space, done))).containsOnlyKeys("b0", "odd");
    }
}
