package io.squall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.redis.testing.RedisServer;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import io.squall.snap.sim.SnapSimulator;
import io.squall.snap.testing.Socat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The SNAP bridge on two node processes sharing a real Redis, both configured with the same port (a socat pty, the
 * simulated mesh on its other end): one owns the port, the other stands by; calls on either node run on the owner;
 * the mesh's publications reach subscribers on both; the owner killed with SIGKILL, the standby takes over.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class SnapClusterIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TTL = "1500ms";
    private static final String RPC = "{\"service\":\"snap\",\"message\":{\"command\":\"rpc\",\"params\":"
            + "{\"address\":\"5de663\",\"function\":\"setLed\",\"args\":[true]},\"callId\":1}}";

    private Path dir;
    private RedisServer redis;
    private Socat socat;
    private SnapSimulator mesh;
    private NodeProcess a;
    private NodeProcess b;
    private NodeProcess owner;
    private NodeProcess standby;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("snap-cluster");
        redis = RedisServer.start();
        socat = Socat.start(dir);
        mesh = new SnapSimulator(socat.nodeEnd(), 3, Duration.ofMillis(200), "snapb1").start();
        String[] flags = {"snap.port=" + socat.bridgeEnd(), "snap.owner.ttl=" + TTL, "snap.reconnect.max=1s",
            "snap.public.functions=setLed"};
        a = NodeProcess.start("a", redis.uri(), flags);
        b = NodeProcess.start("b", redis.uri(), flags);
        a.awaitReady();
        b.awaitReady();
        awaitOneOwner();
    }

    private void awaitOneOwner() {
        Await.until("one node owns the port, its link up, the other stands by", Duration.ofSeconds(30),
                () -> (role(a).equals("owner") && linkUp(a) && role(b).equals("standby"))
                        || (role(b).equals("owner") && linkUp(b) && role(a).equals("standby")));
        owner = role(a).equals("owner") ? a : b;
        standby = owner == a ? b : a;
        Await.until("the standby knows the owner", () -> snap(standby).path("owner").asText().equals(owner.name));
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closing : new AutoCloseable[] {a, b, mesh, socat, redis}) {
            try {
                if (closing != null) {
                    closing.close();
                }
            } catch (Exception e) {
                // go on closing the rest
            }
        }
    }

    @Test
    @Order(1)
    void calls_on_the_standby_run_on_the_owner_and_mesh_publications_reach_subscribers_on_both_nodes() {
        try (WsTestClient onStandby = WsTestClient.connect(standby.wsUri(), Map.of());
                WsTestClient onOwner = WsTestClient.connect(owner.wsUri(), Map.of())) {
            onStandby.call("pubsub", "subscribe", "{\"channel\":\"snap/5de663/led\"}", 1);
            onOwner.call("pubsub", "subscribe", "{\"channel\":\"snap/5de663/status\"}", 1);
            onStandby.call("pubsub", "subscribe", "{\"channel\":\"snap/5de663/status\"}", 2);
            assertThat(onOwner.next().at("/message/message/src").asText()).isEqualTo("5de663");
            assertThat(onStandby.next().at("/message/channel").asText()).isEqualTo("snap/5de663/status");

            JsonNode reply = json(standby.backend(RPC));
            assertThat(reply.at("/message/type").asText()).as(reply.toString()).isEqualTo("response");
            assertThat(reply.at("/message/data/seq").asInt()).isPositive();
            Await.until("the node's LED is on", () -> mesh.led(0x5de663));
            assertThat(nextOn(onStandby, "snap/5de663/led").at("/message/args/0").asBoolean()).isTrue();

            JsonNode nodes = json(standby.backend("{\"service\":\"snap\",\"message\":{\"command\":\"nodes\","
                    + "\"params\":{},\"callId\":2}}")).at("/message/data");
            assertThat(nodes.findValuesAsText("node")).contains("5de663", "5de664", "5de665");
            JsonNode link = json(standby.backend("{\"service\":\"snap\",\"message\":{\"command\":\"link\","
                    + "\"params\":{},\"callId\":3}}")).at("/message/data");
            assertThat(link.path("state").asText()).isEqualTo("up");

            // the public service checks its functions where the call arrives, and runs allowed ones on the owner
            JsonNode allowed = onStandby.call("snap", "rpc", "{\"address\":\"5de663\",\"function\":\"setLed\","
                    + "\"args\":[false]}", 7);
            assertThat(allowed.at("/message/type").asText()).as(allowed.toString()).isEqualTo("response");
            JsonNode refused = onStandby.call("snap", "rpc", "{\"address\":\"5de663\",\"function\":\"reboot\","
                    + "\"args\":[]}", 8);
            assertThat(refused.at("/message/message").asText()).isEqualTo("Not authorized");
            JsonNode publicNodes = onStandby.call("snap", "nodes", "{}", 10); // what the live page asks first
            assertThat(publicNodes.at("/message/data").findValuesAsText("node")).contains("5de663");
            assertThat(page(standby)).as("the live page is served by the standby too").isEqualTo(200);
            JsonNode invalid = onStandby.call("snap", "rpc", "{\"address\":\"5de6\",\"function\":\"setLed\","
                    + "\"args\":[]}", 9);
            assertThat(invalid.at("/message/message").asText()).isEqualTo("Invalid address");
        }
        printRoundTrips();
    }

    /** RPC round trip through each node's backend WebSocket: via the standby (forwarded) and via the owner. */
    private void printRoundTrips() {
        int calls = Integer.getInteger("snap.cluster.calls", 300);
        for (NodeProcess node : List.of(standby, owner, standby, owner)) {
            try (WsTestClient backend = WsTestClient.connect(node.backendWsUri(),
                    Map.of("X-Backend-Key", TestBroker.KEY))) {
                long[] micros = new long[calls];
                for (int i = -calls / 10; i < calls; i++) {
                    long start = System.nanoTime();
                    JsonNode reply = backend.call("snap", "rpc", "{\"address\":\"5de663\",\"function\":\"ping\","
                            + "\"args\":[]}", 100);
                    long took = (System.nanoTime() - start) / 1000;
                    assertThat(reply.at("/message/type").asText()).as(reply.toString()).isEqualTo("response");
                    if (i >= 0) {
                        micros[i] = took;
                    }
                }
                Arrays.sort(micros);
                System.out.printf(Locale.ROOT, "SNAP rpc round trip via the %s (%d calls): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        node == owner ? "owner" : "standby", calls, micros[calls / 2] / 1000.0,
                        micros[(int) (calls * 0.99)] / 1000.0, micros[calls - 1] / 1000.0);
            }
        }
    }

    @Test
    @Order(2)
    void after_redis_restarts_empty_one_node_owns_the_port_again_and_calls_through_the_other_reach_it() {
        redis.restart();

        Await.until("the nodes are ready again", Duration.ofSeconds(30),
                () -> a.health("/health/ready") == 200 && b.health("/health/ready") == 200);
        Await.until("the claim is back in Redis", Duration.ofSeconds(10),
                () -> redis.cli("keys", "*claims.owner*api:snap*").contains("snap"));
        awaitOneOwner();
        Await.until("a call through the standby reaches the owner again", Duration.ofSeconds(10),
                () -> json(standby.backend(RPC)).at("/message/type").asText().equals("response"));
    }

    @Test
    @Order(3)
    void the_standby_takes_over_when_the_owner_is_killed() {
        try (WsTestClient subscriber = WsTestClient.connect(standby.wsUri(), Map.of())) {
            subscriber.call("pubsub", "subscribe", "{\"channel\":\"snap/link\"}", 1);
            long killed = System.nanoTime();
            owner.kill();
            Await.until("the standby owns the port and its link is up", Duration.ofSeconds(20),
                    () -> role(standby).equals("owner") && linkUp(standby));
            long tookMillis = (System.nanoTime() - killed) / 1_000_000;
            System.out.printf(Locale.ROOT, "SNAP takeover after the owner's SIGKILL (snap.owner.ttl=%s): %d ms%n", TTL, tookMillis);
            assertThat(nextOn(subscriber, "snap/link").at("/message/state").asText()).isEqualTo("up");
            assertThat(snap(standby).path("owner").asText()).isEqualTo(standby.name);

            subscriber.call("pubsub", "subscribe", "{\"channel\":\"snap/all\"}", 2);
            assertThat(nextOn(subscriber, "snap/all").at("/message/kind").asText()).isEqualTo("multicast");
            JsonNode reply = json(standby.backend(RPC));
            assertThat(reply.at("/message/type").asText()).as(reply.toString()).isEqualTo("response");
        }
    }

    private static JsonNode nextOn(WsTestClient client, String channel) {
        for (int i = 0; i < 500; i++) {
            JsonNode frame = client.next().path("message");
            if (frame.path("channel").asText().equals(channel)) {
                return frame;
            }
        }
        throw new AssertionError("nothing on " + channel);
    }

    private static int page(NodeProcess node) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.publicPort + "/snap/")).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode snap(NodeProcess node) {
        return json(node.get("/health")).at("/details/snap");
    }

    private static String role(NodeProcess node) {
        return snap(node).path("role").asText();
    }

    private static boolean linkUp(NodeProcess node) {
        return snap(node).path("link").asText().equals("up");
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.isEmpty() ? "{}" : text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
