package io.squall.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.squall.core.json.Json;
import io.squall.server.testing.HangingService;
import io.squall.server.testing.LogWatch;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /backend} on the private port: Snorky's backend HTTP form, plus batches, limits and the deadline. */
class BackendHttpIT {
    private static final String PUBLISH_NEWS = "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\","
            + "\"params\":{\"channel\":\"news\",\"message\":\"hello\"}}}";

    private TestBroker broker;
    private LogWatch errors;

    @BeforeEach
    void start() {
        errors = LogWatch.errors();
        broker = TestBroker.start("backend.deadline=300ms", "backend.max.body.bytes=2048");
    }

    @AfterEach
    void stop() {
        broker.closeExpectingNoErrors(errors);
    }

    @Test
    void publish_with_the_key_is_answered_like_snorky_and_reaches_a_subscriber() {
        try (WsTestClient alice = broker.connect()) {
            alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);

            HttpResponse<String> response = broker.backend(PUBLISH_NEWS);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body())
                    .isEqualTo("{\"service\":\"pubsub_backend\",\"message\":{\"type\":\"response\",\"data\":null}}");
            assertThat(alice.nextText())
                    .isEqualTo("{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"news\",\"message\":\"hello\"}}");
        }
    }

    @Test
    void call_id_is_echoed() {
        HttpResponse<String> response = broker.backend("{\"service\":\"pubsub_backend\",\"message\":{\"command\":"
                + "\"publish\",\"params\":{\"channel\":\"c\",\"message\":1},\"callId\":\"abc\"}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(
                "{\"service\":\"pubsub_backend\",\"message\":{\"type\":\"response\",\"callId\":\"abc\",\"data\":null}}");
    }

    @Test
    void missing_key_is_401() {
        HttpResponse<String> response = broker.post("/backend", PUBLISH_NEWS, Map.of());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("Missing X-Backend-Key header");
    }

    @Test
    void wrong_key_is_401_and_publishes_nothing() {
        try (WsTestClient alice = broker.connect()) {
            alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);

            HttpResponse<String> wrong = broker.post("/backend", PUBLISH_NEWS,
                    Map.of("X-Backend-Key", TestBroker.KEY + "x"));
            HttpResponse<String> empty = broker.post("/backend", PUBLISH_NEWS, Map.of("X-Backend-Key", ""));

            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).isEqualTo("Invalid API key");
            assertThat(empty.statusCode()).isEqualTo(401);
            assertThat(empty.body()).isEqualTo("Invalid API key");
            assertThat(alice.poll(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    void body_that_is_not_json_is_400() {
        for (String body : new String[] {"{not json", "", "{\"service\":\"pubsub_backend\"} trailing"}) {
            HttpResponse<String> response = broker.backend(body);

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).as(body).isEqualTo("Invalid JSON");
        }
    }

    @Test
    void get_is_405() {
        HttpResponse<String> response = broker.get("/backend");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void body_over_the_limit_is_413_and_one_under_it_is_accepted() {
        String under = publishOfSize(2000);
        String over = publishOfSize(3000);

        assertThat(broker.backend(under).statusCode()).isEqualTo(200);
        HttpResponse<String> fixedLength = broker.backend(over);
        HttpResponse<String> chunked = send(HttpRequest.newBuilder(broker.privateUri("/backend"))
                .header("X-Backend-Key", TestBroker.KEY)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(over))));

        assertThat(fixedLength.statusCode()).isEqualTo(413);
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(broker.backend(PUBLISH_NEWS).statusCode()).isEqualTo(200);
    }

    @Test
    void body_limit_is_inclusive() {
        HttpResponse<String> atLimit = broker.backend(publishOfSize(2048));
        HttpResponse<String> overByOne = broker.backend(publishOfSize(2049));

        assertThat(atLimit.statusCode()).isEqualTo(200);
        assertThat(overByOne.statusCode()).isEqualTo(413);
        assertThat(overByOne.body()).contains("2048");
    }

    @Test
    void empty_batch_is_400() {
        HttpResponse<String> response = broker.backend("[]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("Empty batch");
    }

    @Test
    void batch_gets_one_reply_per_element_in_order() {
        try (WsTestClient alice = broker.connect()) {
            alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);

            HttpResponse<String> response = broker.backend("[" + PUBLISH_NEWS + ","
                    + "{\"service\":\"nosuch\",\"message\":{\"command\":\"x\",\"params\":{},\"callId\":5}},7]");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response.body())).isEqualTo(json("["
                    + "{\"service\":\"pubsub_backend\",\"message\":{\"type\":\"response\",\"data\":null}},"
                    + "{\"service\":\"nosuch\",\"message\":{\"type\":\"error\",\"callId\":5,\"message\":\"Unknown service\"}},"
                    + "{\"service\":null,\"message\":{\"type\":\"error\",\"callId\":null,\"message\":\"Invalid envelope\"}}]"));
            assertThat(alice.next().path("message").path("message").asText()).isEqualTo("hello");
        }
    }

    @Test
    void rpc_errors_are_http_200_error_envelopes() {
        HttpResponse<String> unknown = broker.backend(
                "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"nope\",\"params\":{},\"callId\":1}}");
        HttpResponse<String> extraKey = broker.backend("{\"service\":\"pubsub_backend\",\"message\":{\"command\":"
                + "\"publish\",\"params\":{\"channel\":\"c\",\"message\":1,\"extra\":2},\"callId\":2}}");
        HttpResponse<String> missingKey = broker.backend("{\"service\":\"pubsub_backend\",\"message\":{\"command\":"
                + "\"publish\",\"params\":{\"channel\":\"c\"},\"callId\":3}}");
        HttpResponse<String> notRpc = broker.backend("{\"service\":\"pubsub_backend\",\"message\":\"hi\"}");

        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(unknown.body()).isEqualTo(
                "{\"service\":\"pubsub_backend\",\"message\":{\"type\":\"error\",\"callId\":1,\"message\":\"Unknown command\"}}");
        assertThat(extraKey.statusCode()).isEqualTo(200);
        assertThat(extraKey.body()).isEqualTo(
                "{\"service\":\"pubsub_backend\",\"message\":{\"type\":\"error\",\"callId\":2,\"message\":\"Invalid params\"}}");
        assertThat(missingKey.statusCode()).isEqualTo(200);
        assertThat(json(missingKey.body()).path("message").path("message").asText()).isEqualTo("Invalid params");
        assertThat(notRpc.statusCode()).isEqualTo(200);
        assertThat(json(notRpc.body()).path("message").path("type").asText()).isEqualTo("error");
        assertThat(json(notRpc.body()).path("message").has("callId")).isTrue();
    }

    @Test
    void a_command_that_never_answers_is_answered_timeout_at_the_deadline() {
        HangingService hanging = HangingService.installPrivate(broker.server());

        long start = System.nanoTime();
        HttpResponse<String> response = broker.backend(hang(42));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body())).isEqualTo(json(
                "{\"service\":\"hanging\",\"message\":{\"type\":\"error\",\"callId\":42,\"message\":\"Timeout\"}}"));
        assertThat(millis).as("answered after the 300 ms deadline, well before 2 s").isBetween(250L, 2_000L);
        assertThat(broker.server().callOnLoop(hanging::heldCount)).isEqualTo(1);
    }

    @Test
    void in_a_batch_only_the_hanging_element_times_out() {
        HangingService.installPrivate(broker.server());

        HttpResponse<String> response = broker.backend("["
                + "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\",\"params\":{\"channel\":\"c\",\"message\":1},\"callId\":1}},"
                + hang(2) + ","
                + "{\"service\":\"hanging\",\"message\":{\"command\":\"echo\",\"params\":{\"value\":\"x\"},\"callId\":3}},"
                + "{\"service\":\"hanging\",\"message\":{\"command\":\"nope\",\"params\":{},\"callId\":4}}]");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body())).isEqualTo(json("["
                + "{\"service\":\"pubsub_backend\",\"message\":{\"type\":\"response\",\"callId\":1,\"data\":null}},"
                + "{\"service\":\"hanging\",\"message\":{\"type\":\"error\",\"callId\":2,\"message\":\"Timeout\"}},"
                + "{\"service\":\"hanging\",\"message\":{\"type\":\"response\",\"callId\":3,\"data\":\"x\"}},"
                + "{\"service\":\"hanging\",\"message\":{\"type\":\"error\",\"callId\":4,\"message\":\"Unknown command\"}}]"));
    }

    @Test
    void a_late_answer_after_the_deadline_is_ignored_without_error() {
        HangingService hanging = HangingService.installPrivate(broker.server());
        Counter loopErrors = broker.server().meters().get("broker.loop.task.errors").counter();
        double errorsBefore = loopErrors.count();

        HttpResponse<String> response = broker.backend(hang(7));
        assertThat(json(response.body()).path("message").path("message").asText()).isEqualTo("Timeout");

        int answered = broker.server().callOnLoop(() -> hanging.resolveAll("too late"));

        assertThat(answered).isEqualTo(1);
        HttpResponse<String> next = broker.backend(
                "{\"service\":\"hanging\",\"message\":{\"command\":\"echo\",\"params\":{\"value\":1},\"callId\":8}}");
        assertThat(next.body()).isEqualTo("{\"service\":\"hanging\",\"message\":{\"type\":\"response\",\"callId\":8,\"data\":1}}");
        assertThat(loopErrors.count()).isEqualTo(errorsBefore);
        assertThat(errors.events()).as("the late answer is dropped quietly, not written a second time").isEmpty();
    }

    @Test
    void a_hanging_request_does_not_hold_up_other_requests() {
        HangingService hanging = HangingService.installPrivate(broker.server());
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> broker.backend(hang(1)));
        hanging.awaitHeld(broker.server(), 1);

        HttpResponse<String> fast = broker.backend(PUBLISH_NEWS);

        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(slow).as("the hanging request is still waiting for its deadline").isNotDone();
        assertThat(slow.orTimeout(5, TimeUnit.SECONDS).join().body()).contains("\"Timeout\"");
    }

    private static String hang(int callId) {
        return "{\"service\":\"hanging\",\"message\":{\"command\":\"hang\",\"params\":{},\"callId\":" + callId + "}}";
    }

    private static String publishOfSize(int bytes) {
        String head = "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\","
                + "\"params\":{\"channel\":\"big\",\"message\":\"";
        String tail = "\"}}}";
        String body = head + "x".repeat(bytes - head.length() - tail.length()) + tail;
        assertThat(body).hasSize(bytes);
        return body;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
