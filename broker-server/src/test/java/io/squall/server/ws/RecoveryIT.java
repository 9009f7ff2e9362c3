package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Positions and all-or-nothing recovery over real WebSockets and the backend port, on the embedded memory engine:
 * what a client that reconnects gets, what one that comes back to a restarted broker is told, and that a plain
 * Snorky subscriber on the same channel sees Snorky's exact frames.
 */
class RecoveryIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CHANNELS = "pubsub.channels=news:* size=100 ttl=10m presence";

    @Test
    void a_client_that_reconnects_recovers_every_missed_publication_in_order_before_live_ones() throws Exception {
        try (TestBroker broker = TestBroker.start(CHANNELS)) {
            String epoch;
            long lastSeen;
            try (WsTestClient plain = broker.connect()) {
                plain.call("pubsub", "subscribe", "{\"channel\":\"news:1\"}", 0);
                WsTestClient positioned = broker.connect();
                JsonNode reply = positioned.call("pubsub", "subscribe",
                        "{\"channel\":\"news:1\",\"recoverable\":true}", 0).path("message").path("data");
                assertThat(reply.path("offset").asLong()).isZero();
                epoch = reply.path("epoch").asText();
                assertThat(epoch).hasSize(8);

                for (int i = 1; i <= 3; i++) {
                    JsonNode published = backendPublish(broker, "\"news:1\"", "{\"n\":" + i + "}", null);
                    assertThat(published.path("offset").asLong()).isEqualTo(i);
                    assertThat(published.path("epoch").asText()).isEqualTo(epoch);
                }
                // the plain Snorky subscriber sees Snorky's frame byte for byte, no offset
                assertThat(plain.nextText()).isEqualTo(
                        "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"news:1\",\"message\":{\"n\":1}}}");
                for (int i = 1; i <= 3; i++) {
                    JsonNode frame = positioned.next().path("message");
                    assertThat(frame.path("offset").asLong()).isEqualTo(i);
                    assertThat(frame.path("message").path("n").asInt()).isEqualTo(i);
                }
                lastSeen = 3;
                positioned.close();
            }

            for (int i = 4; i <= 6; i++) {
                backendPublish(broker, "\"news:1\"", "{\"n\":" + i + "}", null);
            }

            try (WsTestClient back = broker.connect()) {
                JsonNode reply = back.call("pubsub", "subscribe", "{\"channel\":\"news:1\",\"since\":{\"offset\":"
                        + lastSeen + ",\"epoch\":\"" + epoch + "\"}}", 7).path("message").path("data");
                assertThat(reply.path("recovered").asBoolean()).isTrue();
                assertThat(reply.path("offset").asLong()).isEqualTo(6);
                backendPublish(broker, "\"news:1\"", "{\"n\":7}", null);

                List<Long> offsets = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    offsets.add(back.next().path("message").path("offset").asLong());
                }
                assertThat(offsets).containsExactly(4L, 5L, 6L, 7L);
                assertThat(back.poll(Duration.ofMillis(200))).isNull(); // nothing twice
            }
            broker.awaitNoClients();
        }
    }

    @Test
    void a_client_that_comes_back_to_a_restarted_broker_is_told_it_did_not_recover() throws Exception {
        String epoch;
        try (TestBroker first = TestBroker.start(CHANNELS)) {
            backendPublish(first, "\"news:2\"", "\"before the restart\"", null);
            epoch = backendPublish(first, "\"news:2\"", "\"also before\"", null).path("epoch").asText();
        }
        try (TestBroker second = TestBroker.start(CHANNELS);
                WsTestClient client = second.connect()) {
            backendPublish(second, "\"news:2\"", "\"after\"", null);
            JsonNode reply = client.call("pubsub", "subscribe",
                    "{\"channel\":\"news:2\",\"since\":{\"offset\":2,\"epoch\":\"" + epoch + "\"}}", 1)
                    .path("message").path("data");

            assertThat(reply.path("recovered").asBoolean()).isFalse();
            assertThat(reply.path("epoch").asText()).isNotEqualTo(epoch);
            assertThat(reply.path("offset").asLong()).isEqualTo(1);
            assertThat(client.poll(Duration.ofMillis(200))).as("no partial recovery").isNull();
        }
    }

    @Test
    void a_backend_retry_with_the_same_idempotency_key_publishes_once() throws Exception {
        try (TestBroker broker = TestBroker.start(CHANNELS);
                WsTestClient subscriber = broker.connect()) {
            subscriber.call("pubsub", "subscribe", "{\"channel\":\"news:3\"}", 0);

            JsonNode first = backendPublish(broker, "\"news:3\"", "\"once\"", "order-977");
            JsonNode retry = backendPublish(broker, "\"news:3\"", "\"once\"", "order-977");

            assertThat(retry).isEqualTo(first);
            assertThat(subscriber.next().path("message").path("message").asText()).isEqualTo("once");
            assertThat(subscriber.poll(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void history_and_presence_answer_over_the_backend_and_a_live_only_channel_keeps_snorkys_null_reply()
            throws Exception {
        try (TestBroker broker = TestBroker.start(CHANNELS);
                WsTestClient subscriber = broker.connect()) {
            subscriber.call("pubsub", "subscribe", "{\"channel\":\"news:4\"}", 0);
            backendPublish(broker, "\"news:4\"", "\"a\"", null);
            backendPublish(broker, "\"news:4\"", "\"b\"", null);

            JsonNode history = backendCall(broker, "history", "{\"channel\":\"news:4\",\"limit\":1,\"reverse\":true}");
            assertThat(history.path("publications")).hasSize(1);
            assertThat(history.at("/publications/0/message").asText()).isEqualTo("b");
            assertThat(history.path("offset").asLong()).isEqualTo(2);

            JsonNode stats = backendCall(broker, "presence_stats", "{\"channel\":\"news:4\"}");
            assertThat(stats.path("clients").asInt()).isEqualTo(1);

            var live = broker.backend("{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\","
                    + "\"params\":{\"channel\":\"elsewhere\",\"message\":1}}}");
            assertThat(live.body()).isEqualTo("{\"service\":\"pubsub_backend\",\"message\":{\"type\":\"response\",\"data\":null}}");
        }
    }

    private static JsonNode backendPublish(TestBroker broker, String channel, String message, String key)
            throws Exception {
        String params = "{\"channel\":" + channel + ",\"message\":" + message
                + (key == null ? "" : ",\"idempotencyKey\":\"" + key + "\"") + "}";
        return backendCall(broker, "publish", params);
    }

    private static JsonNode backendCall(TestBroker broker, String command, String params) throws Exception {
        var response = broker.backend("{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"" + command
                + "\",\"params\":" + params + "}}");
        JsonNode message = MAPPER.readTree(response.body()).path("message");
        assertThat(message.path("type").asText()).as(response.body()).isEqualTo("response");
        return message.path("data");
    }
}
