package io.squall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.redis.testing.RedisServer;
import io.squall.server.testing.Await;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Messaging's behaviour cases (those of {@code MessagingServiceTest}) with the clients spread over 1, 2 and 3 nodes
 * sharing one real Redis, the backend's disconnect-by-identity across nodes, and the cross-node latency of a
 * {@code send}. The nodes start once for the class; each case uses names of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagingClusterIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicInteger CASES = new AtomicInteger();

    private RedisServer redis;
    private final List<TestBroker> nodes = new ArrayList<>();
    private final List<WsTestClient> clients = new ArrayList<>();
    private int spread;
    private String p;

    @BeforeAll
    void startNodes() {
        redis = RedisServer.start();
        for (int i = 1; i <= 3; i++) {
            TestBroker node = TestBroker.start("engine=redis", "redis.address=" + redis.uri(), "node.id=m" + i,
                    "redis.command.timeout=2s", "auth.jwt.secret=" + Jwts.SECRET, "auth.anonymous=true");
            nodes.add(node);
            Await.until("node ready", () -> node.get("/health/ready").statusCode() == 200);
        }
        // a backend disconnect waits for the nodes the asked node knows live: every node must have heard the others
        for (TestBroker node : nodes) {
            Await.until("three live nodes seen", () -> node.get("/metrics").body().lines()
                    .anyMatch(line -> line.startsWith("broker_redis_nodes_live ") && line.endsWith(" 3.0")));
        }
    }

    @AfterAll
    void stopNodes() {
        nodes.forEach(TestBroker::close);
        redis.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(WsTestClient::close);
        clients.clear();
    }

    /** Client {@code i} of a case connects to node {@code i mod spread}. */
    private WsTestClient client(int i) {
        WsTestClient client = nodes.get(i % spread).connect();
        clients.add(client);
        return client;
    }

    private void spread(int nodeCount) {
        spread = nodeCount;
        p = "c" + CASES.incrementAndGet() + "-";
    }

    private JsonNode call(WsTestClient client, String command, String params) {
        return client.call("messaging", command, params, 7).path("message");
    }

    private String error(WsTestClient client, String command, String params) {
        JsonNode reply = call(client, command, params);
        assertThat(reply.path("type").asText()).as(reply.toString()).isEqualTo("error");
        return reply.path("message").asText();
    }

    private void ok(WsTestClient client, String command, String params) {
        JsonNode reply = call(client, command, params);
        assertThat(reply.path("type").asText()).as(reply.toString()).isEqualTo("response");
        assertThat(reply.path("data").isNull()).isTrue();
    }

    private void register(WsTestClient client, String name) {
        ok(client, "registerParticipant", "{\"name\":\"" + p + name + "\"}");
    }

    /** This case's names in {@code listParticipants}, without the prefix. */
    private List<String> listed(WsTestClient client) {
        List<String> names = new ArrayList<>();
        call(client, "listParticipants", "{}").path("data").forEach(name -> {
            if (name.asText().startsWith(p)) {
                names.add(name.asText().substring(p.length()));
            }
        });
        return names;
    }

    private String send(String sender, String dest, String body) {
        return "{\"sender\":\"" + p + sender + "\",\"dest\":\"" + p + dest + "\",\"body\":" + body + "}";
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void names_are_listed_on_every_node_sorted_and_unique_cluster_wide(int nodeCount) {
        spread(nodeCount);
        WsTestClient alice = client(0);
        WsTestClient bob = client(1);
        WsTestClient carol = client(2);
        register(alice, "zed");
        register(bob, "bob");
        register(carol, "\uD83D\uDE00");
        register(carol, "\uFFFD");

        for (WsTestClient anyone : List.of(alice, bob, carol)) {
            assertThat(listed(anyone)).containsExactly("bob", "zed", "\uFFFD", "\uD83D\uDE00");
        }
        assertThat(error(bob, "registerParticipant", "{\"name\":\"" + p + "zed\"}")).isEqualTo("Name already registered");
        assertThat(error(alice, "registerParticipant", "{\"name\":\"" + p + "zed\"}")).isEqualTo("Name already registered");
        assertThat(error(alice, "registerParticipant", "{\"name\":\"" + p + "bob\"}")).isEqualTo("Name already registered");
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void send_reaches_only_the_destination_wherever_it_is_connected(int nodeCount) {
        spread(nodeCount);
        WsTestClient alice = client(0);
        WsTestClient bob = client(1);
        WsTestClient carol = client(2);
        register(alice, "alice");
        register(bob, "bob");
        register(alice, "alice-2");

        ok(alice, "send", send("alice", "bob", "{\"text\":\"Hi\"}"));
        ok(bob, "send", send("bob", "alice-2", "[1,2]"));
        ok(alice, "send", send("alice", "alice-2", "\"self\""));

        assertThat(bob.nextText()).isEqualTo("{\"service\":\"messaging\",\"message\":{\"type\":\"message\",\"sender\":\""
                + p + "alice\",\"dest\":\"" + p + "bob\",\"body\":{\"text\":\"Hi\"}}}");
        assertThat(alice.next().path("message").path("body").toString()).isEqualTo("[1,2]");
        assertThat(alice.next().path("message").path("body").asText()).isEqualTo("self");
        assertThat(carol.poll(Duration.ofMillis(200))).isNull();
        assertThat(bob.poll(Duration.ofMillis(10))).isNull();
        for (int i = 0; i < 50; i++) { // a burst, not awaited: every send delivered once and answered
            alice.send("{\"service\":\"messaging\",\"message\":{\"command\":\"send\",\"params\":"
                    + send("alice", "bob", Integer.toString(i)) + ",\"callId\":" + (100 + i) + "}}");
        }
        List<Integer> bodies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            bodies.add(bob.next().at("/message/body").asInt());
            assertThat(alice.next().at("/message/type").asText()).isEqualTo("response");
        }
        assertThat(bodies).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 50).boxed().toList());
        assertThat(bob.poll(Duration.ofMillis(100))).isNull();
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void a_foreign_sender_is_invalid_and_a_free_destination_unknown(int nodeCount) {
        spread(nodeCount);
        WsTestClient alice = client(0);
        WsTestClient bob = client(1);
        register(bob, "bob");
        register(alice, "alice");

        assertThat(error(alice, "send", send("bob", "bob", "\"spoof\""))).isEqualTo("Invalid sender");
        assertThat(error(alice, "send", send("nobody", "bob", "\"spoof\""))).isEqualTo("Invalid sender");
        assertThat(error(alice, "send", send("alice", "ghost", "\"hello?\""))).isEqualTo("Unknown destination");
        assertThat(bob.poll(Duration.ofMillis(200))).isNull();
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void unregister_frees_the_name_everywhere_and_only_its_holder_may(int nodeCount) {
        spread(nodeCount);
        WsTestClient alice = client(0);
        WsTestClient bob = client(1);
        WsTestClient carol = client(2);
        register(alice, "alice");
        register(carol, "carol");

        assertThat(error(bob, "unregisterParticipant", "{\"name\":\"" + p + "carol\"}")).isEqualTo("Invalid participant");
        assertThat(error(bob, "unregisterParticipant", "{\"name\":\"" + p + "ghost\"}")).isEqualTo("Unknown participant");
        ok(alice, "unregisterParticipant", "{\"name\":\"" + p + "alice\"}");

        assertThat(listed(bob)).containsExactly("carol");
        register(bob, "alice");
        ok(carol, "send", send("carol", "alice", "1"));
        assertThat(bob.next().path("message").path("sender").asText()).isEqualTo(p + "carol");
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void closing_a_connection_frees_every_name_it_held_cluster_wide(int nodeCount) {
        spread(nodeCount);
        WsTestClient alice = client(0);
        WsTestClient bob = client(1);
        register(alice, "alice");
        register(alice, "alice-work");
        register(bob, "bob");

        alice.close();

        Await.until("alice's names are freed", () -> listed(bob).equals(List.of("bob")));
        assertThat(error(bob, "send", send("bob", "alice", "\"?\""))).isEqualTo("Unknown destination");
        register(client(2), "alice");
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void the_backend_disconnect_closes_the_identitys_connections_on_every_node_and_counts_them(int nodeCount) {
        spread(nodeCount);
        String identity = p + "user";
        String token = nodes.get(0).mintToken("\"" + identity + "\"");
        List<WsTestClient> devices = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            WsTestClient device = nodes.get(i % spread).connectWithToken(token);
            clients.add(device);
            devices.add(device);
        }
        WsTestClient other = client(1);
        register(other, "other"); // a round trip: every device's connection is registered by now

        TestBroker asked = nodes.get(1 % spread);
        JsonNode reply = json(asked.backend("{\"service\":\"auth_backend\",\"message\":{\"command\":\"disconnect\","
                + "\"params\":{\"identity\":\"" + identity + "\"}}}").body());

        assertThat(reply.at("/message/data").asInt()).as(reply.toString()).isEqualTo(4);
        for (WsTestClient device : devices) {
            assertThat(device.awaitClose()).isEqualTo(4003);
        }
        assertThat(other.isClosed()).isFalse();
        // a closed connection leaves its node's registry once its close completed there: then nothing is left
        Await.until("every device gone from every node", () -> json(asked.backend("{\"service\":\"auth_backend\","
                + "\"message\":{\"command\":\"disconnect\",\"params\":{\"identity\":\"" + identity + "\"}}}")
                .body()).at("/message/data").asInt() == 0);
    }

    /** Prints the latency of a send to a name on another node: the call to the receipt, and the call's answer. */
    @Test
    void cross_node_send_latency() {
        spread(2);
        WsTestClient alice = client(0);
        WsTestClient bob = client(1);
        register(alice, "alice");
        register(bob, "bob");
        int warmup = 200;
        int count = 1000;
        long[] delivered = new long[count];
        long[] answered = new long[count];
        for (int i = -warmup; i < count; i++) {
            long start = System.nanoTime();
            alice.send("{\"service\":\"messaging\",\"message\":{\"command\":\"send\",\"params\":"
                    + send("alice", "bob", Integer.toString(i)) + ",\"callId\":" + i + "}}");
            JsonNode received = bob.next();
            long receivedAt = System.nanoTime();
            assertThat(received.at("/message/body").asInt()).isEqualTo(i);
            JsonNode reply = alice.next();
            assertThat(reply.at("/message/type").asText()).isEqualTo("response");
            if (i >= 0) {
                delivered[i] = receivedAt - start;
                answered[i] = System.nanoTime() - start;
            }
        }
        System.out.printf(Locale.ROOT, "messaging cross-node send (%d sends, one at a time): delivered p50 %.2f ms p99 %.2f ms;"
                + " answered p50 %.2f ms p99 %.2f ms%n", count, percentile(delivered, 50), percentile(delivered, 99),
                percentile(answered, 50), percentile(answered, 99));
    }

    private static double percentile(long[] nanos, int percent) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)] / 1e6;
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }
}
