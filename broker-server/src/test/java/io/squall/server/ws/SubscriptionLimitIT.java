package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code max.subscriptions} per connection and {@code clients.may.publish=false}, over the real WebSocket. */
class SubscriptionLimitIT {
    private TestBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.awaitNoClients();
            broker.close();
        }
    }

    @Test
    void the_fourth_subscription_is_refused_until_one_is_dropped() {
        broker = TestBroker.start("max.subscriptions=3");
        try (WsTestClient client = broker.connect();
                WsTestClient other = broker.connect()) {
            for (int i = 0; i < 3; i++) {
                assertThat(type(client.call("pubsub", "subscribe", "{\"channel\":\"c" + i + "\"}", i))).isEqualTo("response");
            }

            JsonNode fourth = client.call("pubsub", "subscribe", "{\"channel\":\"c3\"}", 3);

            assertThat(fourth.toString()).isEqualTo(
                    "{\"service\":\"pubsub\",\"message\":{\"type\":\"error\",\"callId\":3,\"message\":\"Too many subscriptions\"}}");
            assertThat(error(client.call("pubsub", "subscribe", "{\"channel\":{\"any\":[\"json\"]}}", 4)))
                    .isEqualTo("Too many subscriptions");
            assertThat(error(client.call("pubsub", "subscribe", "{\"channel\":\"c0\"}", 5)))
                    .as("a duplicate is still reported as such").isEqualTo("Already subscribed");
            assertThat(type(other.call("pubsub", "subscribe", "{\"channel\":\"c3\"}", 0)))
                    .as("the cap is per connection").isEqualTo("response");

            assertThat(type(client.call("pubsub", "unsubscribe", "{\"channel\":\"c1\"}", 6))).isEqualTo("response");
            assertThat(type(client.call("pubsub", "subscribe", "{\"channel\":\"c3\"}", 7))).isEqualTo("response");
            assertThat(error(client.call("pubsub", "subscribe", "{\"channel\":\"c4\"}", 8))).isEqualTo("Too many subscriptions");

            broker.publish("\"c3\"", "\"to both\"");
            assertThat(client.next().path("message").path("message").asText()).isEqualTo("to both");
            assertThat(other.next().path("message").path("message").asText()).isEqualTo("to both");
            broker.publish("\"c1\"", "\"dropped channel\"");
            broker.publish("\"c4\"", "\"refused channel\"");
            broker.publish("\"c0\"", "\"kept channel\"");
            assertThat(client.next().path("message").path("message").asText())
                    .as("nothing from the unsubscribed or refused channels came first").isEqualTo("kept channel");
        }
    }

    @Test
    void when_clients_may_not_publish_a_client_publish_is_not_authorized_but_the_backend_still_delivers() {
        broker = TestBroker.start("clients.may.publish=false");
        try (WsTestClient client = broker.connect()) {
            assertThat(type(client.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0))).isEqualTo("response");

            JsonNode refused = client.call("pubsub", "publish", "{\"channel\":\"news\",\"message\":\"from a client\"}", 1);

            assertThat(refused.toString()).isEqualTo(
                    "{\"service\":\"pubsub\",\"message\":{\"type\":\"error\",\"callId\":1,\"message\":\"Not authorized\"}}");
            broker.publish("\"news\"", "\"from the backend\"");

            // a delivered client publication would have been queued ahead of this one (call() keeps skipped frames)
            assertThat(client.nextText()).isEqualTo(
                    "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"news\",\"message\":\"from the backend\"}}");
        }
    }

    private static String type(JsonNode reply) {
        return reply.path("message").path("type").asText();
    }

    private static String error(JsonNode reply) {
        assertThat(type(reply)).isEqualTo("error");
        return reply.path("message").path("message").asText();
    }
}
