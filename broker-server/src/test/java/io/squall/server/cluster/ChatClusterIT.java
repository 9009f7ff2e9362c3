package io.squall.server.cluster;

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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chat's behaviour on one node re-run with the devices spread over 1, 2 and 3 nodes sharing one real Redis: presence
 * only for an identity's first and last device across all nodes, messages to every member on every node in one
 * order, read receipts to the identity's devices wherever they are, nothing left behind; then a node killed
 * ({@code kill -9}) while it holds members, and Redis restarted empty, observed from clients on the other nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the faults last: Redis restarted, a node killed
class ChatClusterIT {
    private static final AtomicInteger ROOMS = new AtomicInteger();
    private RedisServer redis;
    private final List<TestBroker> nodes = new ArrayList<>();

    @BeforeAll
    void start() {
        redis = RedisServer.start();
        for (int i = 0; i < 3; i++) {
            TestBroker node = TestBroker.start("engine=redis", "redis.address=" + redis.uri(),
                    "redis.command.timeout=1s", "presence.ttl=3s", "auth.jwt.secret=" + Jwts.SECRET,
                    Liveness.flags()[0], Liveness.flags()[1]);
            nodes.add(node);
            Await.until("node ready", () -> node.get("/health/ready").statusCode() == 200);
        }
    }

    @AfterAll
    void stop() {
        nodes.forEach(TestBroker::close);
        redis.close();
    }

    /** ChatIT's story: Alice on two devices, Bob on one, each on a node of its own when there are enough. */
    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    @Order(1)
    void two_identities_on_three_devices(int spread) {
        String cats = room("cats");
        String dogs = room("dogs");
        try (WsTestClient desktop = on(0, spread, "Alice");
                WsTestClient laptop = on(1, spread, "Alice");
                WsTestClient bob = on(2, spread, "Bob")) {
            assertThat(members(desktop.call("chat", "join", channel(cats), 0))).containsExactly("Alice");
            desktop.call("chat", "join", channel(dogs), 1);
            assertThat(members(bob.call("chat", "join", channel(cats), 0))).containsExactlyInAnyOrder("Alice", "Bob");
            assertPresence(desktop.next(), "Bob", cats, "joined");
            bob.call("chat", "join", channel(dogs), 1);
            assertPresence(desktop.next(), "Bob", dogs, "joined");
            assertThat(members(laptop.call("chat", "join", channel(cats), 0)))
                    .as("the same identity on another device").containsExactlyInAnyOrder("Alice", "Bob");

            assertThat(ok(bob.call("chat", "send", "{\"channel\":\"" + cats + "\",\"body\":\"Hi\"}", 2))).isTrue();
            for (WsTestClient device : new WsTestClient[] {desktop, laptop, bob}) {
                JsonNode message = device.next().get("message"); // Alice's second device joined silently
                assertThat(message.get("type").asText() + " " + message.get("from").asText() + " "
                        + message.get("channel").asText() + " " + message.get("body").asText())
                        .isEqualTo("message Bob " + cats + " Hi");
                assertThat(Instant.parse(message.get("timestamp").asText())).isBefore(Instant.now().plusSeconds(5));
            }

            desktop.call("chat", "read", channel(cats), 2);
            JsonNode read = laptop.next().get("message");
            assertThat(read.get("type").asText() + " " + read.get("channel").asText()).isEqualTo("read " + cats);

            desktop.close(); // Alice's only device in dogs; her laptop stays in cats
            assertPresence(bob.next(), "Alice", dogs, "left");
            laptop.call("chat", "send", "{\"channel\":\"" + cats + "\",\"body\":\"still here\"}", 3);
            JsonNode still = bob.next().get("message");
            assertThat(still.get("from").asText() + ": " + still.get("body").asText())
                    .as("no read receipt and no cats presence reached Bob").isEqualTo("Alice: still here");
            assertThat(laptop.next().at("/message/body").asText()).isEqualTo("still here");

            laptop.close();
            assertPresence(bob.next(), "Alice", cats, "left");
            assertThat(bob.poll(Duration.ofMillis(300))).as("nothing more for Bob").isNull();
            assertThat(error(bob.call("chat", "join", channel(cats), 4))).isEqualTo("Already joined");
            assertThat(error(bob.call("chat", "leave", channel(room("never")), 5))).isEqualTo("Not joined");
        }
        awaitNothingHeld();
    }

    /** Senders on every node at once: every member, wherever it is, receives the messages in one order. */
    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {2, 3})
    @Order(2)
    void messages_from_every_node_reach_every_member_in_one_order(int spread) {
        String room = room("order");
        List<WsTestClient> members = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                WsTestClient member = on(i, spread, "user" + i);
                members.add(member);
                assertThat(members(member.call("chat", "join", channel(room), 0))).hasSize(i + 1);
            }
            for (int i = 0; i < 6; i++) { // each member hears of those who joined after it
                for (int later = i + 1; later < 6; later++) {
                    assertPresence(members.get(i).next(), "user" + later, room, "joined");
                }
            }
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 6; i++) {
                    members.get(i).send("{\"service\":\"chat\",\"message\":{\"command\":\"send\",\"params\":"
                            + "{\"channel\":\"" + room + "\",\"body\":" + (round * 6 + i) + "},\"callId\":" + round + "}}");
                }
            }
            List<List<Integer>> seen = new ArrayList<>();
            for (WsTestClient member : members) {
                List<Integer> bodies = new ArrayList<>();
                while (bodies.size() < 120) {
                    JsonNode message = member.next().get("message");
                    if (message.path("type").asText().equals("message")) {
                        bodies.add(message.get("body").asInt());
                    } else {
                        assertThat(message.path("type").asText()).as(message.toString()).isEqualTo("response");
                    }
                }
                seen.add(bodies);
            }
            assertThat(seen.get(0)).hasSize(120).doesNotHaveDuplicates();
            seen.forEach(order -> assertThat(order).as("one order on every node").isEqualTo(seen.get(0)));
        } finally {
            members.forEach(WsTestClient::close);
        }
        awaitNothingHeld();
    }

    /** Figures, not asserts: a message sent on one node, received by a member on another (same clock). */
    @Test
    @Order(2)
    void cross_node_send_latency_is_printed() {
        String room = room("latency");
        try (WsTestClient sender = on(0, 3, "Sender"); WsTestClient receiver = on(1, 3, "Receiver")) {
            receiver.call("chat", "join", channel(room), 0);
            sender.call("chat", "join", channel(room), 0);
            long[] latencies = new long[400];
            for (int i = 0; i < latencies.length; i++) {
                sender.send("{\"service\":\"chat\",\"message\":{\"command\":\"send\",\"params\":{\"channel\":\""
                        + room + "\",\"body\":" + System.nanoTime() + "},\"callId\":" + i + "}}");
                JsonNode message = receiver.next().get("message");
                while (!message.path("type").asText().equals("message")) {
                    message = receiver.next().get("message");
                }
                latencies[i] = System.nanoTime() - message.get("body").asLong();
            }
            java.util.Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "chat: cross-node send latency over %d messages: p50 %.2f ms, p99 %.2f ms%n",
                    latencies.length, latencies[latencies.length / 2] / 1e6, latencies[latencies.length * 99 / 100] / 1e6);
        }
        awaitNothingHeld();
    }

    @Test
    @Order(3)
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
                System.out.printf(Locale.ROOT, "chat: a killed node's members left %d ms after kill -9 (%s)%n",
                        cleanup / 1_000_000, Liveness.describe());

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
    @Order(4)
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

            // node 1's view of "r" is rebuilt from what node 0 (and node 1) re-announce after the restart, which may
            // come after the first join there: join, and leave and join again until every member is back
            try (WsTestClient carol = connect(nodes.get(1).wsUri(), "Carol")) {
                List<String> present = new ArrayList<>();
                int[] calls = {10};
                Await.until("the nodes re-announced their members", Duration.ofSeconds(20), () -> {
                    JsonNode reply = carol.call("chat", "join", "{\"channel\":\"r\"}", calls[0]++);
                    if (!reply.at("/message/type").asText().equals("response")) {
                        return false;
                    }
                    present.clear();
                    present.addAll(members(reply));
                    if (present.size() < 4) {
                        carol.call("chat", "leave", "{\"channel\":\"r\"}", calls[0]++);
                        return false;
                    }
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

    private WsTestClient on(int device, int spread, String identity) {
        return connect(nodes.get(device % spread).wsUri(), identity);
    }

    private void awaitNothingHeld() {
        for (TestBroker node : nodes) {
            Await.until("every node's chat holds nothing", () -> node.server().callOnLoop(() -> ((ChatService) node
                    .server().publicRegistry().service("chat").orElseThrow()).stateSizes().values().stream()
                    .allMatch(size -> size == 0)));
        }
    }

    private static String room(String name) {
        return "#" + name + "-" + ROOMS.incrementAndGet();
    }

    private static String channel(String name) {
        return "{\"channel\":\"" + name + "\"}";
    }

    static boolean ok(JsonNode reply) {
        return reply.at("/message/type").asText().equals("response");
    }

    static String error(JsonNode reply) {
        assertThat(reply.at("/message/type").asText()).as(reply.toString()).isEqualTo("error");
        return reply.at("/message/message").asText();
    }

    static List<String> members(JsonNode reply) {
        assertThat(reply.at("/message/type").asText()).as(reply.toString()).isEqualTo("response");
        List<String> names = new ArrayList<>();
        reply.at("/message/data/members").forEach(member -> names.add(member.asText()));
        return names;
    }

    static void assertPresence(JsonNode frame, String from, String channel, String status) {
        JsonNode presence = frame.get("message");
        assertThat(presence.get("type").asText() + " " + presence.get("from").asText() + " "
                + presence.get("channel").asText() + " " + presence.get("status").asText())
                .as(frame.toString()).isEqualTo("presence " + from + " " + channel + " " + status);
    }
}
