package io.squall.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.Registry;
import io.squall.api.ServiceSetup;
import io.squall.api.SquallService;
import io.squall.server.Squall;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Squall embedded with a builder, running a service written against broker-api, called over a real WebSocket. */
class EmbeddedServiceIT {

    private static Squall.Builder onLoopback() {
        return Squall.builder().args("--public.host=127.0.0.1", "--private.host=127.0.0.1", "--shutdown.timeout=2s")
                .set("public.port", "0").set("private.port", "0").set("backend.key", "embedded-test-key-0123456789");
    }

    private static WsTestClient connect(Squall squall) {
        return WsTestClient.connect(URI.create("ws://127.0.0.1:" + squall.publicPort() + "/ws"), Map.of());
    }

    @Test
    void anEmbeddedServiceAnswersOverAWebSocketAndPublishesThroughPubSub() {
        try (Squall squall = onLoopback().service(Registry.PUBLIC, new Greeter()).start();
                WsTestClient alice = connect(squall);
                WsTestClient bob = connect(squall)) {
            assertThat(bob.call("pubsub", "subscribe", "{\"channel\":\"greetings\"}", 1).path("message")
                    .path("type").asText()).isEqualTo("response");
            JsonNode reply = alice.call("greeter", "hello", "{\"name\":\"Ada\"}", 7);
            assertThat(reply.path("message").path("data").asText()).isEqualTo("Hello, Ada (#1)");
            // bob got the notification and the publication, in some order
            String first = bob.next().toString();
            String second = bob.next().toString();
            assertThat(first + second).contains("someone greeted Ada").contains("\"hello Ada\"");
            assertThat(alice.call("greeter", "slowHello", "{\"name\":\"Ada\"}", 8).path("message").path("data")
                    .asText()).isEqualTo("Hello slowly, Ada");
            assertThat(alice.call("greeter", "helloLater", "{}", 9).path("message").path("data").asText())
                    .isEqualTo("later");
            JsonNode bad = alice.call("greeter", "hello", "{\"nam\":\"Ada\"}", 10).path("message");
            assertThat(bad.path("message").asText()).isEqualTo("Invalid params");
            assertThat(bad.path("field").asText()).isEqualTo("name"); // the missing key is named
            assertThat(alice.call("greeter", "recent", "{\"limit\":1}", 11).path("message").path("message").asText())
                    .as("no pubsub.channels rule keeps a history of greetings").isEqualTo("History not enabled");
        }
    }

    @Test
    void aServiceThatFailsToSetUpStopsTheStartNamingIt() {
        SquallService broken = new SquallService() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public void setUp(ServiceSetup setup) {
                throw new IllegalStateException("no device attached");
            }
        };
        assertThatThrownBy(() -> onLoopback().service(Registry.PRIVATE, broken).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service 'broken'").hasMessageContaining("no device attached");
    }

    @Test
    void aNameTakenByABuiltInServiceIsRefused() {
        SquallService clash = new SquallService() {
            @Override
            public String name() {
                return "pubsub";
            }

            @Override
            public void setUp(ServiceSetup setup) {}
        };
        assertThatThrownBy(() -> onLoopback().service(Registry.PUBLIC, clash).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pubsub'");
    }
}
