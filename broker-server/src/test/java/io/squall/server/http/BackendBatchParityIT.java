package io.squall.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.LogWatch;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backend batch is read straight from the parser and answered from cached reply fragments; sent one by one,
 * the same envelopes go through the single-envelope path. Both must give the same bytes: the batch body is the
 * single replies joined in order, and subscribers get the same notifications in the same order.
 */
class BackendBatchParityIT {
    private static final List<String> ENVELOPES = List.of(
            publish("\"news\"", "\"hello\"", "\"a\""),
            publish("\"news\"", "{\"n\":1e400,\"big\":123456789012345678901234567890,\"f\":-0.0}", "7"),
            publish("\"news\"", "\"ünï 😀 \\u00e9 \\ud83d\\ude00 \\n \\\" \\\\\"", "\"ü\\t\""),
            publish("\"news\"", "null", "null"),
            publish("\"news\"", "[1,{\"a\":null},\"x\"]", "{\"id\":[1,2]}"),
            publish("null", "null", "1.5"),
            publish("{\"room\":[1,2]}", "true", "-0"),
            env("\"pubsub_backend\"", "{\"command\":\"publish\",\"params\":{\"channel\":\"news\"},\"callId\":3}"),
            env("\"pubsub_backend\"", "{\"command\":\"publish\",\"params\":{\"channel\":\"news\",\"message\":1,"
                    + "\"extra\":1},\"callId\":4}"),
            env("\"pubsub_backend\"", "{\"command\":\"publish\",\"params\":[1],\"callId\":5}"),
            env("\"pubsub_backend\"", "{\"command\":\"publish\",\"callId\":6}"),
            env("\"pubsub_backend\"", "{\"command\":\"publish\",\"params\":{\"channel\":\"news\",\"message\":"
                    + "\"late\"},\"callId\":8,\"unknown\":[]}"),
            env("\"pubsub_backend\"", "{\"command\":\"nosuch\",\"params\":{},\"callId\":9}"),
            env("\"pubsub_backend\"", "{\"command\":5,\"callId\":10}"),
            env("\"pubsub_backend\"", "null"),
            env("\"nosuch\"", "{\"command\":\"x\",\"params\":{},\"callId\":11}"),
            env("5", "{\"callId\":12}"),
            "{\"service\":\"pubsub_backend\"}",
            "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\",\"params\":{\"channel\":\"news\","
                    + "\"message\":2}},\"extra\":{\"k\":1}}",
            "7", "null", "\"text\"", "true");

    private TestBroker broker;
    private LogWatch errors;

    @BeforeEach
    void start() {
        errors = LogWatch.errors();
        broker = TestBroker.start();
    }

    @AfterEach
    void stop() {
        broker.closeExpectingNoErrors(errors);
    }

    @Test
    void a_batch_answers_and_publishes_exactly_as_its_envelopes_sent_one_by_one() {
        try (WsTestClient alice = broker.connect()) {
            alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);
            alice.call("pubsub", "subscribe", "{\"channel\":null}", 1);
            alice.call("pubsub", "subscribe", "{\"channel\":{\"room\":[1,2]}}", 2);

            List<String> singles = new ArrayList<>();
            for (String envelope : ENVELOPES) {
                HttpResponse<String> response = broker.backend(envelope);
                assertThat(response.statusCode()).as(envelope).isEqualTo(200);
                singles.add(response.body());
            }
            List<String> notifiedOneByOne = drain(alice, "one by one");

            HttpResponse<String> batch = broker.backend("[" + String.join(",", ENVELOPES) + "]");
            List<String> notifiedByBatch = drain(alice, "batch");

            assertThat(batch.statusCode()).isEqualTo(200);
            assertThat(batch.body()).isEqualTo("[" + String.join(",", singles) + "]");
            assertThat(notifiedByBatch).isEqualTo(notifiedOneByOne).hasSize(9);
        }
    }

    @Test
    void a_batch_with_broken_json_anywhere_is_400_and_publishes_nothing() {
        try (WsTestClient alice = broker.connect()) {
            alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);
            String good = publish("\"news\"", "\"must not arrive\"", "1");

            for (String body : List.of("[" + good + "," + good + "] x", "[" + good + "," + good, "[" + good + ",]",
                    "[" + good + ",{\"service\":\"a\",\"service\":\"b\",\"message\":1}]", good + good)) {
                HttpResponse<String> response = broker.backend(body);
                assertThat(response.statusCode()).as(body).isEqualTo(400);
                assertThat(response.body()).isEqualTo("Invalid JSON");
            }
            assertThat(drain(alice, "after the refusals")).isEmpty();
        }
    }

    @Test
    void a_large_chunked_body_read_in_many_pieces_is_answered_like_the_same_body_with_a_length() throws Exception {
        List<String> envelopes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            envelopes.add(publish("\"bulk\"", "\"" + "é".repeat(i % 50) + "\"", Integer.toString(i)));
        }
        String body = "[" + String.join(",", envelopes) + "]";

        HttpResponse<String> withLength = broker.backend(body);
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(broker.privateUri("/backend"))
                        .header("X-Backend-Key", TestBroker.KEY)
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(withLength.statusCode()).isEqualTo(200);
        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(chunked.body()).isEqualTo(withLength.body()).contains("\"callId\":499,");
    }

    /** Notifications received until a marker publication, which is not included. */
    private List<String> drain(WsTestClient client, String marker) {
        broker.publish("\"news\"", "\"end of " + marker + "\"");
        List<String> received = new ArrayList<>();
        String end = "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"news\","
                + "\"message\":\"end of " + marker + "\"}}";
        for (String frame = client.nextText(); !frame.equals(end); frame = client.nextText()) {
            received.add(frame);
        }
        return received;
    }

    private static String publish(String channel, String message, String callId) {
        return env("\"pubsub_backend\"", "{\"command\":\"publish\",\"params\":{\"channel\":" + channel
                + ",\"message\":" + message + "},\"callId\":" + callId + "}");
    }

    private static String env(String service, String message) {
        return "{\"service\":" + service + ",\"message\":" + message + "}";
    }
}
