package io.squall.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.json.Json;
import io.squall.core.service.datasync.DataSyncService;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DataSync end to end: the web app on the backend HTTP port, the browser on the public WebSocket. */
class DataSyncIT {
    private static final String DEALERS = "datasync.dealers=TasksByOwner=simple:Task:owner.name,"
            + "Unfinished=filter:Task,AllTasks=broadcast:Task";

    private TestBroker broker;

    @BeforeEach
    void start() {
        broker = TestBroker.start(DEALERS, "datasync.token.expiry=2s");
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        Await.until("datasync holds nothing", () -> broker.server().callOnLoop(
                () -> datasync().stateSizes().values().stream().allMatch(size -> size == 0)));
        broker.close();
    }

    @Test
    void deltas_published_before_and_after_the_acquire_arrive_in_order() {
        String token = authorize("[{\"dealer\":\"TasksByOwner\",\"query\":\"alice\"}]");
        publishDeltas("[{\"type\":\"insert\",\"model\":\"Task\",\"data\":{\"id\":1,\"owner\":{\"name\":\"alice\"}}},"
                + "{\"type\":\"insert\",\"model\":\"Task\",\"data\":{\"id\":2,\"owner\":{\"name\":\"bob\"}}}]");

        try (WsTestClient browser = broker.connect()) {
            browser.send("{\"service\":\"datasync\",\"message\":{\"command\":\"acquireSubscription\","
                    + "\"params\":{\"token\":\"" + token + "\"},\"callId\":0}}");
            // the buffered delta comes first, then the reply (as in Snorky)
            assertThat(browser.nextText()).isEqualTo("{\"service\":\"datasync\",\"message\":{\"type\":\"delta\","
                    + "\"delta\":{\"type\":\"insert\",\"model\":\"Task\",\"data\":{\"id\":1,\"owner\":{\"name\":\"alice\"}}}}}");
            assertThat(browser.nextText())
                    .isEqualTo("{\"service\":\"datasync\",\"message\":{\"type\":\"response\",\"callId\":0,\"data\":null}}");

            publishDeltas("[{\"type\":\"update\",\"model\":\"Task\",\"newData\":{\"id\":1,\"owner\":{\"name\":\"alice\"},"
                    + "\"done\":true},\"oldData\":{\"id\":1,\"owner\":{\"name\":\"alice\"}}},"
                    + "{\"type\":\"update\",\"model\":\"Task\",\"newData\":{\"id\":1,\"owner\":{\"name\":\"bob\"}},"
                    + "\"oldData\":{\"id\":1,\"owner\":{\"name\":\"alice\"},\"done\":true}}]");

            assertThat(browser.next().at("/message/delta/type").asText()).isEqualTo("update");
            JsonNode moved = browser.next().at("/message/delta");
            assertThat(moved.get("type").asText()).isEqualTo("delete");
            assertThat(moved.at("/data/done").asBoolean()).isTrue();
        }
    }

    @Test
    void an_update_entering_a_filter_arrives_as_an_insert() {
        String token = authorize("[{\"dealer\":\"Unfinished\",\"query\":[\"==\",\"done\",false]},"
                + "{\"dealer\":\"AllTasks\",\"query\":null}]");
        try (WsTestClient browser = broker.connect()) {
            assertThat(acquire(browser, token, 0).at("/message/type").asText()).isEqualTo("response");

            publishDeltas("[{\"type\":\"update\",\"model\":\"Task\",\"newData\":{\"id\":7,\"done\":false},"
                    + "\"oldData\":{\"id\":7,\"done\":true}}]");

            // both items match the new row, one the old: a single update (Snorky sent two deltas)
            JsonNode delta = browser.next().at("/message/delta");
            assertThat(delta.get("type").asText()).isEqualTo("update");
            assertThat(browser.poll(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void a_second_acquire_cancel_and_errors_come_back_by_name() {
        String token = authorize("[{\"dealer\":\"AllTasks\",\"query\":null}]");
        try (WsTestClient browser = broker.connect(); WsTestClient thief = broker.connect()) {
            acquire(browser, token, 0);

            assertThat(acquire(thief, token, 1).at("/message/message").asText()).isEqualTo("Already acquired");
            assertThat(call(thief, "cancelSubscription", "{\"token\":\"" + token + "\"}", 2).at("/message/message")
                    .asText()).isEqualTo("No such subscription");
            assertThat(call(browser, "acquireSubscription", "{\"token\":7}", 3).at("/message/message").asText())
                    .isEqualTo("token must be string");
            assertThat(call(browser, "cancelSubscription", "{\"token\":\"" + token + "\"}", 4).at("/message/type")
                    .asText()).isEqualTo("response");

            publishDeltas("[{\"type\":\"insert\",\"model\":\"Task\",\"data\":{\"id\":1}}]");
            assertThat(browser.poll(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void a_backend_on_the_persistent_backend_websocket_authorizes_and_publishes() {
        try (WsTestClient backend = WsTestClient.connect(broker.backendWsUri(), Map.of("X-Backend-Key", TestBroker.KEY));
                WsTestClient browser = broker.connect()) {
            String token = backend.call("datasync_backend", "authorizeSubscription",
                    "{\"items\":[{\"dealer\":\"AllTasks\",\"query\":null}]}", 0).at("/message/data").asText();
            acquire(browser, token, 0);

            for (int i = 0; i < 20; i++) {
                backend.call("datasync_backend", "publishDeltas",
                        "{\"deltas\":[{\"type\":\"insert\",\"model\":\"Task\",\"data\":{\"id\":" + i + "}}]}", i + 1);
            }

            for (int i = 0; i < 20; i++) {
                assertThat(browser.next().at("/message/delta/data/id").intValue()).isEqualTo(i);
            }
        }
    }

    @Test
    void backend_errors_are_snorkys_names_with_status_200() {
        HttpResponse<String> badQuery = backend("authorizeSubscription",
                "{\"items\":[{\"dealer\":\"Unfinished\",\"query\":\"done\"}]}");
        HttpResponse<String> unknownModel = backend("publishDeltas",
                "{\"deltas\":[{\"type\":\"insert\",\"model\":\"Ghost\",\"data\":{}}]}");
        HttpResponse<String> unknownDealer = backend("authorizeSubscription",
                "{\"items\":[{\"dealer\":\"Nope\",\"query\":1}]}");

        assertThat(badQuery.statusCode()).isEqualTo(200);
        assertThat(parse(badQuery.body()).at("/message/message").asText()).isEqualTo("Invalid query");
        assertThat(parse(unknownModel.body()).at("/message/message").asText()).isEqualTo("No such model");
        assertThat(parse(unknownDealer.body()).at("/message/message").asText()).isEqualTo("No such dealer");
    }

    @Test
    void an_unacquired_token_expires() {
        String token = authorize("[{\"dealer\":\"AllTasks\",\"query\":null}]");

        Await.until("the token expired", Duration.ofSeconds(20),
                () -> broker.server().callOnLoop(() -> datasync().stateSizes().get("subscriptions")) == 0);

        try (WsTestClient browser = broker.connect()) {
            assertThat(acquire(browser, token, 0).at("/message/message").asText()).isEqualTo("No such subscription");
        }
    }

    @Test
    void closing_the_socket_cancels_its_subscriptions() {
        String token = authorize("[{\"dealer\":\"AllTasks\",\"query\":null}]");
        try (WsTestClient browser = broker.connect()) {
            acquire(browser, token, 0);
        }
        Await.until("the subscription is gone", () -> broker.server().callOnLoop(
                () -> datasync().stateSizes().get("subscriptions")) == 0);
    }

    // ---- helpers

    private DataSyncService datasync() {
        return (DataSyncService) broker.server().publicRegistry().service("datasync").orElseThrow();
    }

    private String authorize(String items) {
        HttpResponse<String> response = backend("authorizeSubscription", "{\"items\":" + items + "}");
        JsonNode reply = parse(response.body());
        assertThat(reply.at("/message/type").asText()).as(response.body()).isEqualTo("response");
        String token = reply.at("/message/data").asText();
        assertThat(token).matches("[a-z0-9]{32}");
        return token;
    }

    private void publishDeltas(String deltas) {
        HttpResponse<String> response = backend("publishDeltas", "{\"deltas\":" + deltas + "}");
        assertThat(response.body()).isEqualTo("{\"service\":\"datasync_backend\",\"message\":{\"type\":\"response\","
                + "\"data\":null}}");
    }

    private HttpResponse<String> backend(String command, String params) {
        return broker.post("/backend", "{\"service\":\"datasync_backend\",\"message\":{\"command\":\"" + command
                + "\",\"params\":" + params + "}}", Map.of("X-Backend-Key", TestBroker.KEY));
    }

    private static JsonNode acquire(WsTestClient browser, String token, int callId) {
        return call(browser, "acquireSubscription", "{\"token\":\"" + token + "\"}", callId);
    }

    private static JsonNode call(WsTestClient client, String command, String params, int callId) {
        return client.call("datasync", command, params, callId);
    }

    private static JsonNode parse(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
