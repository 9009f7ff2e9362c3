package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code max.key.bytes} and {@code max.connection.state.bytes} over the real WebSocket: the attack of 128
 * subscriptions with 60 KB channel names, and the bytes given back on unsubscribe and close; and numbers that come
 * back exactly.
 */
class StateLimitsIT {
    private static final String NAME_60K = "n".repeat(60_000);

    private TestBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.awaitNoClients();
            broker.close();
        }
    }

    @Test
    void one_hundred_and_twenty_eight_subscriptions_with_60_kb_names_are_refused_and_hold_nothing() {
        broker = TestBroker.start();
        try (WsTestClient client = broker.connect()) {
            for (int i = 0; i < 128; i++) { // sent at once, as an attacker would, then the replies read
                client.send("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":"
                        + "{\"channel\":\"" + i + NAME_60K + "\"},\"callId\":" + i + "}}");
            }
            for (int i = 0; i < 128; i++) {
                assertThat(client.nextText()).isEqualTo("{\"service\":\"pubsub\",\"message\":{\"type\":\"error\","
                        + "\"callId\":" + i + ",\"message\":\"Invalid params\"}}");
            }
            assertThat(error(client.call("chat", "join", "{\"channel\":\"" + NAME_60K + "\"}", 200)))
                    .as("anonymous: the identity is checked first").isEqualTo("Not authenticated");
            assertThat(error(client.call("messaging", "registerParticipant", "{\"name\":\"" + NAME_60K + "\"}", 201)))
                    .isEqualTo("Invalid params");
            assertThat(type(client.call("pubsub", "subscribe", "{\"channel\":\"" + "k".repeat(1024) + "\"}", 202)))
                    .as("a key of exactly max.key.bytes").isEqualTo("response");
            assertThat(stateBytes()).isEqualTo(1024);
        }
        Await.until("the state budget is back to 0", Duration.ofSeconds(10), () -> stateBytes() == 0);
    }

    @Test
    void with_large_keys_allowed_the_budget_refuses_the_second_name_and_gives_everything_back() {
        broker = TestBroker.start("max.key.bytes=64KiB", "max.connection.state.bytes=100KiB");
        try (WsTestClient client = broker.connect();
                WsTestClient other = broker.connect()) {
            assertThat(type(client.call("pubsub", "subscribe", "{\"channel\":\"0" + NAME_60K + "\"}", 0)))
                    .isEqualTo("response");
            JsonNode refused = client.call("pubsub", "subscribe", "{\"channel\":\"1" + NAME_60K + "\"}", 1);
            assertThat(refused.toString()).isEqualTo(
                    "{\"service\":\"pubsub\",\"message\":{\"type\":\"error\",\"callId\":1,\"message\":\"Too much state\"}}");
            assertThat(error(client.call("messaging", "registerParticipant", "{\"name\":\"" + NAME_60K + "\"}", 2)))
                    .as("one budget over every service").isEqualTo("Too much state");
            assertThat(type(other.call("pubsub", "subscribe", "{\"channel\":\"1" + NAME_60K + "\"}", 0)))
                    .as("per connection").isEqualTo("response");
            assertThat(stateBytes()).isEqualTo(2 * 60_001);

            assertThat(type(client.call("pubsub", "unsubscribe", "{\"channel\":\"0" + NAME_60K + "\"}", 3)))
                    .isEqualTo("response");
            assertThat(type(client.call("messaging", "registerParticipant", "{\"name\":\"" + NAME_60K + "\"}", 4)))
                    .isEqualTo("response");
            assertThat(stateBytes()).isEqualTo(2 * 60_001 - 1);
        }
        Await.until("the state budget is back to 0", Duration.ofSeconds(10), () -> stateBytes() == 0);
    }

    @Test
    void numbers_beyond_double_range_come_back_exactly_and_never_collide() {
        broker = TestBroker.start();
        try (WsTestClient client = broker.connect()) {
            client.send("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":1e400},"
                    + "\"callId\":1e999999}}");
            assertThat(client.nextText())
                    .isEqualTo("{\"service\":\"pubsub\",\"message\":{\"type\":\"response\",\"callId\":1E+999999,\"data\":null}}");
            for (String channel : new String[] {"2e400", "1e999999999", "1e-400", "0"}) {
                client.send("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":"
                        + channel + "},\"callId\":12345678901234567890.5}}");
                assertThat(client.nextText()).as(channel).isEqualTo("{\"service\":\"pubsub\",\"message\":"
                        + "{\"type\":\"response\",\"callId\":12345678901234567890.5,\"data\":null}}");
            }

            broker.publish("2e400", "{\"n\":12345678901234567890.5,\"tiny\":1e-400}");
            broker.publish("1e-400", "1e999999999");

            assertThat(client.nextText()).isEqualTo("{\"service\":\"pubsub\",\"message\":{\"type\":\"message\","
                    + "\"channel\":2E+400,\"message\":{\"n\":12345678901234567890.5,\"tiny\":1E-400}}}");
            assertThat(client.nextText()).as("once each: no other channel is the same").isEqualTo(
                    "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":1E-400,"
                            + "\"message\":1E+999999999}}");
            assertThat(client.poll(Duration.ofMillis(200))).isNull();
        }
    }

    private long stateBytes() {
        return (long) broker.server().meters().get("broker.connection.state.bytes").gauge().value();
    }

    private static String type(JsonNode reply) {
        return reply.path("message").path("type").asText();
    }

    private static String error(JsonNode reply) {
        assertThat(type(reply)).as(reply.toString().substring(0, Math.min(200, reply.toString().length())))
                .isEqualTo("error");
        return reply.path("message").path("message").asText();
    }
}
