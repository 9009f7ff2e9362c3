package io.squall.server.cluster;

import static io.squall.server.cluster.DataSyncWire.ALICE;
import static io.squall.server.cluster.DataSyncWire.acquire;
import static io.squall.server.cluster.DataSyncWire.authorize;
import static io.squall.server.cluster.DataSyncWire.backend;
import static io.squall.server.cluster.DataSyncWire.cancel;
import static io.squall.server.cluster.DataSyncWire.data;
import static io.squall.server.cluster.DataSyncWire.delta;
import static io.squall.server.cluster.DataSyncWire.error;
import static io.squall.server.cluster.DataSyncWire.insert;
import static io.squall.server.cluster.DataSyncWire.publish;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.service.datasync.DataSyncService;
import io.squall.redis.testing.RedisServer;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DataSync when a node is killed ({@code kill -9}, a real node process) and when Redis restarts empty, seen from
 * the clients of the surviving nodes and from Redis: nothing the dead node held stays, nothing is left
 * half-registered, and a browser whose deltas may have a hole is told.
 */
class DataSyncFaultsIT {
    private RedisServer redis;
    private final List<TestBroker> nodes = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() {
        for (TestBroker node : nodes) {
            node.awaitNoClients();
            Await.until("datasync holds nothing", () -> node.server().callOnLoop(() -> datasync(node).stateSizes()
                    .entrySet().stream().allMatch(e -> e.getKey().equals("pending") || e.getValue() == 0)));
        }
        nodes.forEach(TestBroker::close);
        redis.close();
    }

    private TestBroker node(String id) {
        TestBroker node = TestBroker.start("engine=redis", "redis.address=" + redis.uri(), "node.id=" + id,
                "redis.command.timeout=1s", DataSyncWire.DEALERS, Liveness.flags()[0], Liveness.flags()[1]);
        nodes.add(node);
        Await.until("node ready", () -> node.get("/health/ready").statusCode() == 200);
        return node;
    }

    @Test
    void a_killed_nodes_subscriptions_are_freed_and_its_backends_tokens_still_serve_the_survivors() {
        NodeProcess victim = NodeProcess.start("victim", redis.uri(), DataSyncWire.DEALERS); // starts meanwhile
        TestBroker survivor = node("survivor");
        victim.awaitReady();
        try (WsTestClient onVictim = WsTestClient.connect(victim.wsUri(), Map.of());
                WsTestClient onSurvivor = survivor.connect()) {
            String fromSurvivor = authorize(survivor, ALICE);
            String fromVictim = data(backend(victim::backend, "authorizeSubscription", "{\"items\":" + ALICE + "}"))
                    .asText();
            String pendingOfVictim = data(backend(victim::backend, "authorizeSubscription",
                    "{\"items\":" + ALICE + "}")).asText();
            data(acquire(onVictim, fromSurvivor, 0));
            data(acquire(onSurvivor, fromVictim, 0));
            publish(survivor, "[" + insert(1, "alice") + "]");
            assertThat(delta(onVictim).at("/data/id").asInt()).isEqualTo(1);
            assertThat(delta(onSurvivor).at("/data/id").asInt()).isEqualTo(1);
            assertThat(acquiredOwners()).hasSize(2).anyMatch(owner -> owner.contains("\"victim\""));

            victim.kill();
            long killed = System.nanoTime();
            Await.until("the dead node's subscription freed in Redis", Duration.ofSeconds(30),
                    () -> acquiredOwners().stream().noneMatch(owner -> owner.contains("\"victim\"")));
            System.out.printf(Locale.ROOT, "datasync: the killed node's subscriptions freed %.1f s after kill -9"
                    + " (%s)%n", (System.nanoTime() - killed) / 1e9, Liveness.describe());
            assertThat(acquiredOwners()).as("the survivor's own stays").hasSize(1);

            publish(survivor, "[" + insert(2, "alice") + "]");
            assertThat(delta(onSurvivor).at("/data/id").asInt()).isEqualTo(2);
            try (WsTestClient late = survivor.connect()) {
                data(acquire(late, pendingOfVictim, 0)); // authorized by the dead node's backend: still good
                assertThat(List.of(delta(late), delta(late))).extracting(d -> d.at("/data/id").asInt())
                        .containsExactly(1, 2);
            }
        } finally {
            victim.close();
        }
    }

    @Test
    void redis_restarted_empty_drops_and_tells_the_acquired_and_forgets_the_pending_then_serves_again() {
        TestBroker a = node("a");
        TestBroker b = node("b");
        try (WsTestClient browser = b.connect()) {
            String acquired = authorize(a, ALICE);
            String pending = authorize(a, ALICE);
            data(acquire(browser, acquired, 0));

            redis.kill();
            assertThat(error(backend(a, "publishDeltas", "{\"deltas\":[" + insert(1, "alice") + "]}")))
                    .isEqualTo("Unavailable");
            assertThat(error(backend(a, "authorizeSubscription", "{\"items\":" + ALICE + "}")))
                    .isEqualTo("Unavailable");
            assertThat(error(acquire(browser, pending, 1))).isEqualTo("Unavailable");
            redis.restart();
            Await.until("both ready", () -> a.get("/health/ready").statusCode() == 200
                    && b.get("/health/ready").statusCode() == 200);

            JsonNode told = browser.next().path("message");
            assertThat(told.path("type").asText()).isEqualTo("unsubscribed");
            assertThat(told.path("token").asText()).isEqualTo(acquired);
            assertThat(told.path("code").asInt()).isEqualTo(2500);
            assertThat(told.path("reason").asText()).isEqualTo("Insufficient state");
            assertThat(error(cancel(browser, acquired, 2))).isEqualTo("No such subscription");
            assertThat(error(acquire(browser, pending, 3))).as("tokens lived in Redis")
                    .isEqualTo("No such subscription");

            String again = authorize(a, ALICE);
            data(acquire(browser, again, 4));
            Await.until("a publish after the restart arrives", () -> {
                publish(a, "[" + insert(9, "alice") + "]");
                String frame = browser.poll(Duration.ofMillis(200));
                return frame != null && frame.contains("\"delta\"");
            });
        }
        Await.until("no acquired claim left in Redis", () -> acquiredOwners().isEmpty());
    }

    /** The owners of every "acquired" claim in Redis (canonical JSON). */
    private List<String> acquiredOwners() {
        List<String> owners = new ArrayList<>();
        for (String key : redis.cli("--scan", "--pattern", "*claims.owner*acquired*").lines().toList()) {
            if (!key.isBlank()) {
                redis.cli("hvals", key).lines().filter(line -> !line.isBlank()).forEach(owners::add);
            }
        }
        return owners;
    }

    private static DataSyncService datasync(TestBroker node) {
        return (DataSyncService) node.server().publicRegistry().service("datasync").orElseThrow();
    }
}
