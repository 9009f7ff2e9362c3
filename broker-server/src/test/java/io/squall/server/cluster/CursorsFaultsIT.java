package io.squall.server.cluster;

import static io.squall.server.cluster.CursorsNodes.data;
import static io.squall.server.cluster.CursorsNodes.notification;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.redis.testing.RedisServer;
import io.squall.server.testing.Await;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Cursors when a node is killed ({@code kill -9}, a node process of its own) and when Redis restarts empty; and the
 * figures: cleanup time after a node's death, and the latency of a cursor update from a client on one node to a
 * client on another (printed, not asserted).
 */
class CursorsFaultsIT {
    private static final String DOC = "{\"document\":\"Plan\"}";

    @Test
    void a_killed_nodes_cursors_are_removed_and_its_members_on_the_survivors_told() {
        try (RedisServer redis = RedisServer.start();
                TestBroker survivor = CursorsNodes.node(redis, "survivor");
                NodeProcess victim = NodeProcess.start("victim", redis.uri(), "auth.jwt.secret=" + Jwts.SECRET,
                        "presence.ttl=6s")) {
            victim.awaitReady();
            WsTestClient bob = survivor.connectWithBearer(CursorsNodes.token("Bob"));
            WsTestClient alice = WsTestClient.connect(victim.wsUri(),
                    Map.of("Authorization", "Bearer " + CursorsNodes.token("Alice")));
            data(bob.call("cursors", "join", DOC, 0));
            data(alice.call("cursors", "join", DOC, 0));
            Set<Integer> handles = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                handles.add(data(alice.call("cursors", "createCursor", "{\"privateHandle\":" + i
                        + ",\"document\":\"Plan\",\"position\":" + i + ",\"status\":null}", 1)).intValue());
                assertThat(notification(bob).path("type").asText()).isEqualTo("cursorAdded");
            }
            int bobs = data(bob.call("cursors", "createCursor",
                    "{\"privateHandle\":0,\"document\":\"Plan\",\"position\":9,\"status\":null}", 2)).intValue();

            long killedAt = System.nanoTime();
            victim.kill();
            Set<Integer> removed = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                JsonNode message = notification(bob);
                assertThat(message.path("type").asText()).isEqualTo("cursorRemoved");
                removed.add(message.at("/cursor/publicHandle").intValue());
            }
            long cleanupMillis = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf(Locale.ROOT, "cursors: a killed node's 3 cursors removed on the survivor %d ms after kill -9"
                    + " (%s)%n", cleanupMillis, Liveness.describe());
            assertThat(removed).isEqualTo(handles);
            assertThat(cleanupMillis).as("within twice the node-down detection").isLessThan(25_000);

            try (WsTestClient late = survivor.connectWithBearer(CursorsNodes.token("Carol"))) {
                JsonNode cursors = data(late.call("cursors", "join", DOC, 0)).get("cursors");
                assertThat(cursors).hasSize(1);
                assertThat(cursors.get(0).get("publicHandle").intValue()).isEqualTo(bobs);
            }
            bob.close();
            alice.close();
        }
    }

    @Test
    void redis_restarted_empty_the_cursors_are_rebuilt_from_the_nodes() {
        try (RedisServer redis = RedisServer.start();
                TestBroker a = CursorsNodes.node(redis, "a");
                TestBroker b = CursorsNodes.node(redis, "b");
                WsTestClient alice = a.connectWithBearer(CursorsNodes.token("Alice"));
                WsTestClient bob = b.connectWithBearer(CursorsNodes.token("Bob"))) {
            data(alice.call("cursors", "join", DOC, 0));
            data(bob.call("cursors", "join", DOC, 0));
            int handle = data(alice.call("cursors", "createCursor",
                    "{\"privateHandle\":0,\"document\":\"Plan\",\"position\":0,\"status\":null}", 1)).intValue();
            notification(bob);
            measureUpdateLatency(alice, bob);

            redis.restart();
            Await.until("both ready again", () -> a.get("/health/ready").statusCode() == 200
                    && b.get("/health/ready").statusCode() == 200);
            // a node joining now reads the document from Redis: what the nodes announced again
            try (TestBroker c = CursorsNodes.node(redis, "c");
                    WsTestClient carol = c.connectWithBearer(CursorsNodes.token("Carol"))) {
                Await.until("alice's cursor announced again", () -> {
                    JsonNode cursors = data(carol.call("cursors", "join", DOC, 3)).get("cursors");
                    data(carol.call("cursors", "leave", DOC, 4));
                    return cursors.size() == 1 && cursors.get(0).get("publicHandle").intValue() == handle;
                });
                data(carol.call("cursors", "join", DOC, 5));
                Await.until("an update after the restart reaches the others", () -> {
                    JsonNode reply = alice.call("cursors", "updateCursor",
                            "{\"privateHandle\":0,\"newData\":{\"position\":-1}}", 6);
                    if (!reply.at("/message/type").asText().equals("response")) {
                        return false;
                    }
                    String frame = carol.poll(Duration.ofSeconds(2));
                    return frame != null && frame.contains("\"position\":-1");
                });
                Await.until("bob sees it too", () -> {
                    String frame = bob.poll(Duration.ofSeconds(1));
                    return frame != null && frame.contains("\"position\":-1");
                });
            }
        }
    }

    /** Prints p50/p99 of an update's trip from its owner on one node to a member on another, one at a time. */
    private static void measureUpdateLatency(WsTestClient owner, WsTestClient member) {
        int warmup = 200;
        int count = 1_000;
        long[] micros = new long[count];
        for (int i = 0; i < warmup + count; i++) {
            long start = System.nanoTime();
            owner.send("{\"service\":\"cursors\",\"message\":{\"command\":\"updateCursor\",\"params\":"
                    + "{\"privateHandle\":0,\"newData\":{\"position\":" + (i + 1) + "}},\"callId\":" + i + "}}");
            String frame = member.nextText();
            if (i >= warmup) {
                micros[i - warmup] = (System.nanoTime() - start) / 1_000;
            }
            assertThat(frame).contains("\"position\":" + (i + 1) + ",");
        }
        CursorsNodes.responses(owner, warmup + count);
        Arrays.sort(micros);
        System.out.printf(Locale.ROOT, "cursors: update owner -> member on another node, %d updates: p50 %.2f ms, p99 %.2f ms%n",
                count, micros[count / 2] / 1000.0, micros[count * 99 / 100] / 1000.0);
    }
}
