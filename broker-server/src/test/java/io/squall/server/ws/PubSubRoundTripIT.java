package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PubSubRoundTripIT {
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
    void client_publish_reaches_every_subscriber_including_the_publisher() {
        try (WsTestClient alice = broker.connect();
                WsTestClient bob = broker.connect()) {
            assertThat(alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0).toString())
                    .isEqualTo("{\"service\":\"pubsub\",\"message\":{\"type\":\"response\",\"callId\":0,\"data\":null}}");
            bob.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);

            JsonNode reply = alice.call("pubsub", "publish", "{\"channel\":\"news\",\"message\":{\"n\":1}}", 1);

            assertThat(reply.path("message").path("type").asText()).isEqualTo("response");
            String expected = "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"news\",\"message\":{\"n\":1}}}";
            assertThat(bob.nextText()).isEqualTo(expected);
            assertThat(alice.nextText()).isEqualTo(expected);
        }
    }

    @Test
    void backend_publish_reaches_a_websocket_subscriber() {
        try (WsTestClient alice = broker.connect()) {
            alice.call("pubsub", "subscribe", "{\"channel\":{\"room\":7}}", 0);

            broker.publish("{\"room\":7.0}", "\"hello\"");

            JsonNode delivered = alice.next();
            assertThat(delivered.path("message").path("message").asText()).isEqualTo("hello");
        }
    }

    @Test
    void disconnect_leaves_no_subscription_behind() {
        WsTestClient alice = broker.connect();
        alice.call("pubsub", "subscribe", "{\"channel\":\"a\"}", 0);
        alice.call("pubsub", "subscribe", "{\"channel\":\"b\"}", 1);

        alice.close();
        broker.awaitNoClients();

        int channels = broker.server().callOnLoop(() -> ((io.squall.core.service.pubsub.PubSubService)
                broker.server().publicRegistry().service("pubsub").orElseThrow()).channelCount());
        assertThat(channels).isZero();
    }
}
