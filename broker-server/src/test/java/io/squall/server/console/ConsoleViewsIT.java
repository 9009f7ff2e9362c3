package io.squall.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the console's socket reaches: the bounded views, a tail past the channel permissions, publish, disconnect. */
class ConsoleViewsIT {
    private TestBroker broker;
    private ConsoleDoor door;

    @BeforeEach
    void start() {
        broker = TestBroker.start("console.password=" + ConsoleDoor.PASSWORD, "auth.jwt.secret=" + Jwts.SECRET,
                "auth.anonymous=true", "pubsub.permissions=allow subscribe room:*",
                "pubsub.channels=room:* size=10 ttl=10m");
        door = new ConsoleDoor(broker);
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        broker.close();
    }

    private static JsonNode data(JsonNode frame) {
        assertThat(frame.path("message").path("type").asText()).as(frame.toString()).isEqualTo("response");
        return frame.path("message").path("data");
    }

    @Test
    void views_list_connections_and_channels_and_the_console_tails_publishes_and_disconnects() {
        try (WsTestClient alice = broker.connectWithToken(Jwts.hs256(Jwts.SECRET, Jwts.claims("alice", java.time.Instant.now(), 600).build()));
                WsTestClient anonymous = broker.connect();
                WsTestClient console = door.socket(door.loginOk())) {
            assertThat(data(alice.call("pubsub", "subscribe", "{\"channel\":\"room:1\"}", 1)).isNull()).isTrue();
            JsonNode overview = data(console.call("console", "overview", "{}", 1));
            assertThat(overview.path("node").path("connections").asInt()).isEqualTo(2);
            assertThat(overview.path("node").path("subscriptions").asInt()).isEqualTo(1);
            assertThat(overview.path("node").path("consoles").asInt()).isEqualTo(1);
            assertThat(overview.path("services").path("publish").asText()).isEqualTo("pubsub_backend");
            assertThat(overview.path("snap").isNull()).isTrue();

            JsonNode found = data(console.call("console", "connections", "{\"search\":\"ALI\",\"limit\":10}", 2));
            assertThat(found.path("total").asInt()).isEqualTo(2);
            assertThat(found.path("matched").asInt()).isEqualTo(1);
            assertThat(found.path("connections").get(0).path("identity").asText()).isEqualTo("alice");
            assertThat(found.path("connections").get(0).path("subscriptions").asInt()).isEqualTo(1);
            JsonNode one = data(console.call("console", "connections", "{\"search\":\"\",\"limit\":1}", 3));
            assertThat(one.path("connections").size()).as("bounded").isEqualTo(1);
            assertThat(one.path("matched").asInt()).isEqualTo(2);

            // the permissions allow only room:*; the console tails and publishes anywhere, a public client may not
            assertThat(anonymous.call("pubsub", "subscribe", "{\"channel\":\"ops\"}", 2).path("message")
                    .path("message").asText()).isEqualTo("Not authorized");
            assertThat(data(console.call("pubsub", "subscribe", "{\"channel\":\"ops\"}", 4)).isNull()).isTrue();
            broker.publish("\"ops\"", "{\"n\":1}");
            assertThat(console.next().path("message").path("message").path("n").asInt()).isEqualTo(1);
            JsonNode published = data(console.call("pubsub_backend", "publish",
                    "{\"channel\":\"room:1\",\"message\":\"hi\"}", 5));
            assertThat(published.path("offset").asLong()).isEqualTo(1);
            assertThat(alice.next().path("message").path("message").asText()).isEqualTo("hi");

            JsonNode channels = data(console.call("console", "channels", "{\"search\":\"room\",\"limit\":5}", 6));
            assertThat(channels.path("total").asInt()).isEqualTo(2);
            assertThat(channels.path("matched").asInt()).isEqualTo(1);
            JsonNode room = channels.path("channels").get(0);
            assertThat(room.path("channel").asText()).isEqualTo("room:1");
            assertThat(room.path("subscribers").asInt()).isEqualTo(1);
            assertThat(room.path("publications").asLong()).isEqualTo(1);
            assertThat(room.path("offset").asLong()).isEqualTo(1);
            assertThat(room.path("epoch").asText()).isNotEmpty();

            assertThat(data(console.call("auth_backend", "disconnect", "{\"identity\":\"alice\"}", 7)).asInt())
                    .isEqualTo(1);
            assertThat(alice.awaitClose()).isEqualTo(4003);
            assertThat(console.call("console", "channels", "{\"search\":\"\",\"limit\":0}", 8).path("message")
                    .path("type").asText()).as("a limit is clamped, not refused").isEqualTo("response");
            assertThat(console.call("console", "channels", "{\"search\":\"\"}", 9).path("message").path("message")
                    .asText()).isEqualTo("Invalid params");
        }
    }
}
