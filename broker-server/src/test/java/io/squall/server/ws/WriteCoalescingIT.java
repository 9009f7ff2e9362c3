package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.json.Json;
import io.squall.server.testing.BrokerMeters;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Frames queued for one connection while it is being written share one flush (README, threading contract). */
class WriteCoalescingIT {
    private static final int COUNT = 200;

    private TestBroker broker;

    @BeforeEach
    void start() {
        broker = TestBroker.start();
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        broker.close();
    }

    @Test
    void a_backend_batch_of_200_publications_arrives_in_order_in_far_fewer_flushes() {
        try (WsTestClient subscriber = broker.connect()) {
            subscriber.call("pubsub", "subscribe", "{\"channel\":\"burst\"}", 0);
            double framesBefore = BrokerMeters.counter(broker, "broker.ws.frames.out", "transport", "ws");
            double flushesBefore = BrokerMeters.counter(broker, "broker.ws.flushes", "transport", "ws");
            StringJoiner batch = new StringJoiner(",", "[", "]");
            for (int i = 0; i < COUNT; i++) {
                batch.add("{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\","
                        + "\"params\":{\"channel\":\"burst\",\"message\":{\"seq\":" + i + "}},\"callId\":" + i + "}}");
            }

            HttpResponse<String> response = broker.backend(batch.toString());

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode replies = parse(response.body());
            assertThat(replies).hasSize(COUNT);
            for (int i = 0; i < COUNT; i++) {
                assertThat(replies.get(i).path("message").path("type").asText()).isEqualTo("response");
                assertThat(replies.get(i).path("message").path("callId").asInt()).isEqualTo(i);
            }
            for (int i = 0; i < COUNT; i++) {
                JsonNode delivered = subscriber.next();
                assertThat(delivered.path("message").path("type").asText()).isEqualTo("message");
                assertThat(delivered.path("message").path("message").path("seq").asInt()).as("delivery order").isEqualTo(i);
            }
            double frames = BrokerMeters.counter(broker, "broker.ws.frames.out", "transport", "ws") - framesBefore;
            double flushes = BrokerMeters.counter(broker, "broker.ws.flushes", "transport", "ws") - flushesBefore;
            assertThat(frames).isGreaterThanOrEqualTo(COUNT);
            assertThat(flushes).as("flushes for %s frames", frames).isPositive().isLessThan(frames / 2);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
