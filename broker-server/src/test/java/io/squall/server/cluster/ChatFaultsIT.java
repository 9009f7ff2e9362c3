package io.squall.server.cluster;

import static io.squall.server.cluster.ChatClusterIT.assertPresence;
import static io.squall.server.cluster.ChatClusterIT.members;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.service.chat.ChatService;
import io.squall.redis.testing.RedisServer;
import io.squall.server.testing.Await;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chat when a node is killed ({@code kill -9}) while it holds members, and when Redis restarts empty: observed from
 * clients on the surviving nodes, against real {@code redis-server} and a real node process.
 */
class ChatFaultsIT {
    private RedisServer redis;
    private final List<TestBroker> nodes = new ArrayList<>();

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        for (int i = 0; i < 2; i++) {
            TestBroker node = TestBroker.start("engine=redis", "redis.address=" + redis.uri(),
                    "redis.command.timeout=1s", "presence.ttl=3s", "auth.jwt.secret=" + Jwts.SECRET);
            nodes.add(node);
            Await.until("node ready", () -> node.get("/health/ready").statusCode() == 200);
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(TestBroker::close);
        redis.close();
    }

    @Test
    void a_killed_nodes_members_leave_with_left_only_where_it_held_the_last_device() {
        try (NodeProcess victim = NodeProcess.start("victim", redis.uri(), "presence.ttl=3s",
                "auth.jwt.secret=" + Jwts.SECRET)) {
            victim.awaitReady();
            try (WsTestClient aliceThere = connect(victim.wsUri(), "Alice");
                    WsTestClient carol = connect(victim.wsUri(), "Carol");
                    WsTestClient aliceHere = connect(nodes.get(0).wsUri(), "Alice");
                    WsTestClient bob = connect(nodes.get(1).wsUri(), "Bob")) {
                assertThat(members(bob.call("chat", "join", "{\"channel\":\"k\"}", 0))).containsExactly("Bob");
                aliceThere.call("chat", "join", "{\"channel\":\"k\"}", 0);
                assertPresence(bob.next(), "Alice", "k", "joined");
                carol.call("chat", "join", "{\"channel\":\"k\"}", 0);
                assertPresence(bob.next(), "Carol", "k", "joined");
                carol.call("chat", "join", "{\"channel\":\"only-there\"}", 1);
                assertThat(members(aliceHere.call("chat", "join", "{\"channel\":\"k\"}", 0)))
                        .containsExactlyInAnyOrder("Alice", "Bob", "Carol");

                long killed = System.nanoTime();
                victim.kill();
                assertPresence(bob.next(), "Carol", "k", "left");
                long cleanup = System.nanoTime() - killed;
                assertPresence(aliceHere.next(), "Carol", "k", "left");
                System.out.printf("chat: a killed node's members left %d ms after kill -9%n", cleanup / 1_000_000);

                bob.call("chat", "send", "{\"channel\":\"k\",\"body\":\"still\"}", 1);
                assertThat(aliceHere.next().at("/message/body").asText())
                        .as("Alice kept a device: no left for her").isEqualTo("still");
                assertThat(bob.next().at("/message/body").asText()).isEqualTo("still");
                try (WsTestClient dave = connect(nodes.get(1).wsUri(), "Dave")) {
                    assertThat(members(dave.call("chat", "join", "{\"channel\":\"only-there\"}", 0)))
                            .as("nothing of the dead node stays").containsExactly("Dave");
                }
            }
        }
        awaitNothingHeld();
    }

    @Test
    void redis_restarted_empty_is_rebuilt_from_the_nodes() {
        try (WsTestClient alice = connect(nodes.get(0).wsUri(), "Alice");
                WsTestClient bob = connect(nodes.get(0).wsUri(), "Bob");
                WsTestClient erin = connect(nodes.get(1).wsUri(), "Erin")) {
            alice.call("chat", "join", "{\"channel\":\"r\"}", 0);
            bob.call("chat", "join", "{\"channel\":\"r\"}", 0);
            assertPresence(alice.next(), "Bob", "r", "joined");
            erin.call("chat", "join", "{\"channel\":\"r\"}", 0);
            assertPresence(alice.next(), "Erin", "r", "joined");
            assertPresence(bob.next(), "Erin", "r", "joined");

            redis.kill();
            JsonNode refused = alice.call("chat", "send", "{\"channel\":\"r\",\"body\":\"lost\"}", 1);
            assertThat(refused.at("/message/message").asText()).as("no silent drop").isEqualTo("Unavailable");
            redis.restart();
            Await.until("nodes ready again", () -> nodes.stream()
                    .allMatch(node -> node.get("/health/ready").statusCode() == 200));

            // node 1 never held "r" before: what it reads was re-announced by node 0 (and node 1) after the restart
            try (WsTestClient carol = connect(nodes.get(1).wsUri(), "Carol")) {
                List<String> present = new ArrayList<>();
                Await.until("the nodes re-announced their members", Duration.ofSeconds(20), () -> {
                    JsonNode reply = carol.call("chat", "join", "{\"channel\":\"r\"}", present.size());
                    if (!reply.at("/message/type").asText().equals("response")) {
                        present.add("refused");
                        return false;
                    }
                    present.clear();
                    present.addAll(members(reply));
                    return true;
                });
                assertThat(present).containsExactlyInAnyOrder("Alice", "Bob", "Erin", "Carol");
                alice.call("chat", "send", "{\"channel\":\"r\",\"body\":\"back\"}", 2);
                for (WsTestClient member : List.of(alice, bob, erin)) {
                    JsonNode next = nextOf(member, "message");
                    assertThat(next.at("/message/body").asText()).isEqualTo("back");
                }
                assertThat(nextOf(carol, "message").at("/message/body").asText()).isEqualTo("back");
                carol.call("chat", "leave", "{\"channel\":\"r\"}", 99);
                assertPresence(nextOf(erin, "presence"), "Carol", "r", "left");
            }
        }
        awaitNothingHeld();
    }

    /** The next frame of {@code type}, past presence another node's resync may have told meanwhile. */
    private static JsonNode nextOf(WsTestClient client, String type) {
        while (true) {
            JsonNode frame = client.next();
            String seen = frame.at("/message/type").asText();
            if (seen.equals(type) && !(type.equals("presence") && frame.at("/message/status").asText().equals("joined"))) {
                return frame;
            }
            assertThat(seen).as(frame.toString()).isIn("presence", "message");
        }
    }

    private static WsTestClient connect(URI uri, String identity) {
        String token = Jwts.hs256(Jwts.SECRET, Jwts.claims(identity, Instant.now(), 300).build());
        return WsTestClient.connect(uri, Map.of("Authorization", "Bearer " + token));
    }

    private void awaitNothingHeld() {
        for (TestBroker node : nodes) {
            Await.until("every node's chat holds nothing", () -> node.server().callOnLoop(() -> ((ChatService) node
                    .server().publicRegistry().service("chat").orElseThrow()).stateSizes().values().stream()
                    .allMatch(size -> size == 0)));
        }
    }
}
