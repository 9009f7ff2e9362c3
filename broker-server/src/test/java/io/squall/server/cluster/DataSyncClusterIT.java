package io.squall.server.cluster;

import static io.squall.server.cluster.DataSyncWire.ALICE;
import static io.squall.server.cluster.DataSyncWire.ALL;
import static io.squall.server.cluster.DataSyncWire.acquire;
import static io.squall.server.cluster.DataSyncWire.authorize;
import static io.squall.server.cluster.DataSyncWire.backend;
import static io.squall.server.cluster.DataSyncWire.cancel;
import static io.squall.server.cluster.DataSyncWire.data;
import static io.squall.server.cluster.DataSyncWire.delta;
import static io.squall.server.cluster.DataSyncWire.error;
import static io.squall.server.cluster.DataSyncWire.insert;
import static io.squall.server.cluster.DataSyncWire.publish;
import static io.squall.server.cluster.DataSyncWire.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.service.datasync.DataSyncService;
import io.squall.redis.testing.RedisServer;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DataSync's behaviour cases with the backend, the publishers and the browsers spread over 1, 2 and 3 nodes sharing
 * one real Redis: a token authorized on one node is acquired on another, with the deltas published meanwhile on a
 * third, translated and in order; the bounds hold; one order of deltas on every node; the cross-node latency.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataSyncClusterIT {
    private RedisServer redis;
    private final List<TestBroker> nodes = new ArrayList<>();

    @BeforeAll
    void start() {
        redis = RedisServer.start();
        for (int i = 0; i < 3; i++) {
            TestBroker node = TestBroker.start("engine=redis", "redis.address=" + redis.uri(), "node.id=ds" + i,
                    DataSyncWire.DEALERS, "datasync.token.expiry=3s", "datasync.max.buffered.deltas=3",
                    "datasync.history.size=8");
            nodes.add(node);
            Await.until("node ready", () -> node.get("/health/ready").statusCode() == 200);
        }
    }

    @AfterEach
    void nothingLeft() {
        for (TestBroker node : nodes) {
            node.awaitNoClients();
            Await.until("datasync holds nothing", () -> node.server().callOnLoop(
                    () -> datasync(node).stateSizes().values().stream().allMatch(size -> size == 0)));
        }
        Await.until("no acquired claim left in Redis", () -> redis.cli("--scan", "--pattern", "*acquired*").isBlank());
    }

    @AfterAll
    void stop() {
        nodes.forEach(TestBroker::close);
        redis.close();
    }

    /** The backend's node, the browser's node and a third, over {@code count} nodes. */
    private TestBroker[] spread(int count) {
        return new TestBroker[] {nodes.get(0), nodes.get(1 % count), nodes.get(2 % count)};
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void deltas_published_before_and_after_the_acquire_arrive_translated_and_in_order(int count) {
        TestBroker[] n = spread(count);
        String token = authorize(n[0], ALICE);
        publish(n[2], "[" + insert(1, "alice") + "," + insert(2, "bob") + "]");
        publish(n[0], "[" + insert(3, "alice") + "]");

        try (WsTestClient browser = n[1].connect()) {
            assertThat(data(acquire(browser, token, 0)).isNull()).isTrue();
            // the deltas of before came before the reply (call() leaves them queued, in order)
            assertThat(delta(browser).at("/data/id").asInt()).isEqualTo(1);
            assertThat(delta(browser).at("/data/id").asInt()).isEqualTo(3);

            publish(n[2], "[" + update(1, "alice", "alice") + "," + update(1, "bob", "alice") + "]");
            publish(n[1], "[" + update(2, "alice", "bob") + "]");
            assertThat(delta(browser).get("type").asText()).isEqualTo("update");
            JsonNode moved = delta(browser);
            assertThat(moved.get("type").asText()).isEqualTo("delete");
            assertThat(moved.at("/data/id").asInt()).isEqualTo(1);
            JsonNode arrived = delta(browser);
            assertThat(arrived.get("type").asText()).isEqualTo("insert");
            assertThat(arrived.at("/data/id").asInt()).isEqualTo(2);
            assertThat(browser.poll(Duration.ofMillis(100))).isNull();
        }
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void a_token_is_acquired_once_anywhere_and_only_its_holder_cancels_it(int count) {
        TestBroker[] n = spread(count);
        String token = authorize(n[0], ALICE);
        try (WsTestClient browser = n[1].connect();
                WsTestClient other = n[2].connect()) {
            assertThat(error(acquire(other, "nosuchtoken0000000000000000000000", 0))).isEqualTo("No such subscription");
            data(acquire(browser, token, 2));
            assertThat(error(acquire(other, token, 3))).isEqualTo("Already acquired");
            assertThat(error(acquire(browser, token, 4))).isEqualTo("Already acquired");
            assertThat(error(cancel(other, token, 5))).isEqualTo("No such subscription");

            publish(n[2], "[" + insert(7, "alice") + "]");
            assertThat(delta(browser).at("/data/id").asInt()).isEqualTo(7);
            data(cancel(browser, token, 6));
            publish(n[0], "[" + insert(8, "alice") + "]");
            assertThat(browser.poll(Duration.ofMillis(200))).as("cancelled: nothing more").isNull();
            assertThat(error(acquire(other, token, 7))).isEqualTo("No such subscription");
        }
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void an_acquire_past_the_buffer_bound_is_too_many_deltas_and_one_at_the_bound_gets_them_all(int count) {
        TestBroker[] n = spread(count);
        String over = authorize(n[0], ALICE);
        publish(n[2], "[" + insert(1, "alice") + "," + insert(2, "alice") + "]");
        String atBound = authorize(n[2], ALICE);
        publish(n[1], "[" + insert(3, "alice") + "]");
        publish(n[0], "[" + insert(4, "alice") + "," + insert(5, "bob") + "]");
        publish(n[2], "[" + insert(6, "alice") + "]"); // "over" has 5 (bound 3), "atBound" 3
        try (WsTestClient browser = n[1].connect()) {
            assertThat(error(acquire(browser, over, 0))).isEqualTo("Too many deltas");
            assertThat(error(acquire(browser, over, 1))).as("dropped").isEqualTo("No such subscription");
            data(acquire(browser, atBound, 2));
            assertThat(List.of(delta(browser), delta(browser), delta(browser)))
                    .extracting(d -> d.at("/data/id").asInt()).containsExactly(3, 4, 6);
        }
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void an_acquire_the_history_no_longer_reaches_back_for_is_too_many_deltas_never_a_silent_gap(int count) {
        TestBroker[] n = spread(count);
        String trimmed = authorize(n[0], ALICE);
        for (int i = 0; i < 9; i++) { // 9 calls, none for alice; the history keeps 8
            publish(n[i % count], "[" + insert(100 + i, "bob") + "]");
        }
        String fresh = authorize(n[2], ALICE);
        publish(n[0], "[" + insert(1, "alice") + "]");
        try (WsTestClient browser = n[1].connect()) {
            assertThat(error(acquire(browser, trimmed, 0))).isEqualTo("Too many deltas");
            data(acquire(browser, fresh, 1));
            assertThat(delta(browser).at("/data/id").asInt()).isEqualTo(1);
        }
    }

    @Test
    void an_unacquired_token_expires_on_every_node() {
        String token = authorize(nodes.get(0), ALICE);
        assertThat(pending(nodes.get(0))).isEqualTo(1);
        Await.until("the authorizing node stops counting it", () -> pending(nodes.get(0)) == 0);
        try (WsTestClient browser = nodes.get(1).connect()) {
            assertThat(error(acquire(browser, token, 0))).isEqualTo("No such subscription");
        }
    }

    @Test
    void an_acquire_on_another_node_stops_the_authorizers_count_and_bad_backend_calls_leave_nothing() {
        String token = authorize(nodes.get(0), ALICE);
        assertThat(error(backend(nodes.get(1), "authorizeSubscription",
                "{\"items\":[{\"dealer\":\"Nobody\",\"query\":1}]}"))).isEqualTo("No such dealer");
        assertThat(error(backend(nodes.get(1), "publishDeltas",
                "{\"deltas\":[" + insert(1, "alice") + ",{\"type\":\"insert\",\"model\":\"Nope\",\"data\":{}}]}")))
                .isEqualTo("No such model");
        try (WsTestClient browser = nodes.get(2).connect()) {
            data(acquire(browser, token, 0));
            Await.until("node 0 told of the acquire", () -> pending(nodes.get(0)) == 0);
            assertThat(browser.poll(Duration.ofMillis(100))).as("the refused list delivered nothing").isNull();
        }
    }

    @Test
    void publishers_on_three_nodes_leave_one_order_of_deltas_on_every_node() throws Exception {
        int perNode = 200;
        List<WsTestClient> browsers = new ArrayList<>();
        try {
            for (TestBroker node : nodes) {
                WsTestClient browser = node.connect();
                data(acquire(browser, authorize(nodes.get(0), ALL), 0));
                browsers.add(browser);
            }
            List<Thread> publishers = new ArrayList<>();
            for (int n = 0; n < nodes.size(); n++) {
                TestBroker node = nodes.get(n);
                int base = n * perNode;
                Thread publisher = new Thread(() -> {
                    for (int i = 0; i < perNode; i += 2) {
                        publish(node, "[" + insert(base + i, "p") + "," + insert(base + i + 1, "p") + "]");
                    }
                });
                publisher.start();
                publishers.add(publisher);
            }
            for (Thread publisher : publishers) {
                publisher.join(Duration.ofMinutes(1));
            }
            int[][] orders = new int[browsers.size()][nodes.size() * perNode];
            for (int b = 0; b < browsers.size(); b++) {
                for (int i = 0; i < orders[b].length; i++) {
                    orders[b][i] = delta(browsers.get(b)).at("/data/id").asInt();
                }
            }
            assertThat(orders[1]).isEqualTo(orders[0]);
            assertThat(orders[2]).isEqualTo(orders[0]);
            assertThat(Arrays.stream(orders[0]).distinct().count()).isEqualTo(nodes.size() * perNode);
        } finally {
            browsers.forEach(WsTestClient::close);
        }
    }

    /** Figures, not asserts: a backend's publishDeltas on node A to the browser's receipt on node B. */
    @Test
    void cross_node_delta_latency() {
        int samples = 1000;
        long[] nanos = new long[samples];
        try (WsTestClient browser = nodes.get(1).connect();
                WsTestClient backend = WsTestClient.connect(nodes.get(0).backendWsUri(),
                        Map.of("X-Backend-Key", TestBroker.KEY))) {
            data(acquire(browser, authorize(nodes.get(0), ALL), 0));
            for (int i = -200; i < samples; i++) { // the first 200 warm up
                long start = System.nanoTime();
                backend.send("{\"service\":\"datasync_backend\",\"message\":{\"command\":\"publishDeltas\","
                        + "\"params\":{\"deltas\":[" + insert(i, "x") + "]},\"callId\":" + (i + 1000) + "}}");
                assertThat(delta(browser).at("/data/id").asInt()).isEqualTo(i);
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                }
                backend.next(); // the reply
            }
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "datasync cross-node delta latency (%d samples, backend on node A -> browser on node B):"
                + " p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", samples, nanos[samples / 2] / 1e6,
                nanos[samples * 99 / 100] / 1e6, nanos[samples - 1] / 1e6);
    }

    private static int pending(TestBroker node) {
        return node.server().callOnLoop(() -> datasync(node).stateSizes().get("pending"));
    }

    private static DataSyncService datasync(TestBroker node) {
        return (DataSyncService) node.server().publicRegistry().service("datasync").orElseThrow();
    }
}
