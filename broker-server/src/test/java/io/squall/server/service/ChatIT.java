package io.squall.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.service.chat.ChatService;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chat over real WebSockets with identities from real tokens at the handshake: one signed by the test, one minted by
 * the broker's {@code auth_backend} over backend HTTP. Anonymous connections are refused by name.
 */
class ChatIT {
    /** UTC ISO-8601 with milliseconds, as Snorky's Chat wrote them. */
    private static final String UTC_MILLIS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    @Test
    void an_anonymous_connection_is_answered_not_authenticated() {
        try (TestBroker broker = TestBroker.start(); WsTestClient anonymous = broker.connect()) {
            assertThat(anonymous.call("chat", "join", "{\"channel\":\"#cats\"}", 0).toString())
                    .isEqualTo("{\"service\":\"chat\",\"message\":{\"type\":\"error\",\"callId\":0,"
                            + "\"message\":\"Not authenticated\"}}");
            assertThat(anonymous.call("chat", "send", "{\"channel\":\"#cats\",\"body\":\"hi\"}", 1)
                    .at("/message/message").asText()).isEqualTo("Not joined");
            assertThat(chatSizes(broker)).containsOnly(0);
        }
    }

    @Test
    void two_identities_on_three_devices() {
        try (TestBroker broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET)) {
            String minted = broker.mintToken("\"Alice\""); // Alice's laptop logs in through the app's backend
            try (WsTestClient desktop = broker.connectWithBearer(token("Alice"));
                    WsTestClient laptop = broker.connectWithToken(minted);
                    WsTestClient bob = broker.connectWithToken(token("Bob"))) {
                assertThat(members(desktop.call("chat", "join", "{\"channel\":\"#cats\"}", 0))).containsExactly("Alice");
                desktop.call("chat", "join", "{\"channel\":\"#dogs\"}", 1);

                assertThat(members(bob.call("chat", "join", "{\"channel\":\"#cats\"}", 0)))
                        .containsExactlyInAnyOrder("Alice", "Bob");
                assertPresence(desktop.next(), "Bob", "#cats", "joined");
                bob.call("chat", "join", "{\"channel\":\"#dogs\"}", 1);
                assertPresence(desktop.next(), "Bob", "#dogs", "joined");

                assertThat(members(laptop.call("chat", "join", "{\"channel\":\"#cats\"}", 0)))
                        .as("the same identity on another device").containsExactlyInAnyOrder("Alice", "Bob");

                bob.call("chat", "send", "{\"channel\":\"#cats\",\"body\":\"Hi\"}", 2);
                for (WsTestClient device : new WsTestClient[] {desktop, laptop, bob}) {
                    // Alice's second device joining sent no presence: the message is the next frame everywhere
                    JsonNode message = device.next().get("message");
                    assertThat(message.get("type").asText()).isEqualTo("message");
                    assertThat(message.get("from").asText()).isEqualTo("Bob");
                    assertThat(message.get("channel").asText()).isEqualTo("#cats");
                    assertThat(message.get("body").asText()).isEqualTo("Hi");
                    assertUtcTimestamp(message);
                }

                desktop.call("chat", "read", "{\"channel\":\"#cats\"}", 2);
                JsonNode read = laptop.next().get("message");
                assertThat(read.get("type").asText() + " " + read.get("channel").asText()).isEqualTo("read #cats");
                assertUtcTimestamp(read);

                desktop.close(); // Alice's only device in #dogs; her laptop stays in #cats
                assertPresence(bob.next(), "Alice", "#dogs", "left");
                laptop.call("chat", "send", "{\"channel\":\"#cats\",\"body\":\"still here\"}", 3);
                JsonNode still = bob.next().get("message");
                assertThat(still.get("from").asText() + ": " + still.get("body").asText())
                        .as("no read receipt and no #cats presence reached Bob").isEqualTo("Alice: still here");
                assertThat(laptop.next().at("/message/body").asText()).isEqualTo("still here");

                laptop.close();
                assertPresence(bob.next(), "Alice", "#cats", "left");
                assertThat(bob.poll(Duration.ofMillis(200))).as("nothing more for Bob").isNull();
            }
            broker.awaitNoClients();
            assertThat(chatSizes(broker)).as("the chat holds nothing").containsOnly(0);
            assertThat(broker.server().callOnLoop(() -> broker.server().publicRegistry().identityCount())).isZero();
        }
    }

    private static String token(String identity) {
        return Jwts.hs256(Jwts.SECRET, Jwts.claims(identity, Instant.now(), 300).build());
    }

    private static Collection<Integer> chatSizes(TestBroker broker) {
        return broker.server().callOnLoop(() -> ((ChatService) broker.server().publicRegistry()
                .service("chat").orElseThrow()).stateSizes().values());
    }

    private static List<String> members(JsonNode reply) {
        assertThat(reply.at("/message/type").asText()).as(reply.toString()).isEqualTo("response");
        List<String> names = new ArrayList<>();
        reply.at("/message/data/members").forEach(member -> names.add(member.asText()));
        return names;
    }

    private static void assertPresence(JsonNode frame, String from, String channel, String status) {
        JsonNode presence = frame.get("message");
        assertThat(presence.get("type").asText() + " " + presence.get("from").asText() + " "
                + presence.get("channel").asText() + " " + presence.get("status").asText())
                .as(frame.toString()).isEqualTo("presence " + from + " " + channel + " " + status);
        assertUtcTimestamp(presence);
    }

    private static void assertUtcTimestamp(JsonNode message) {
        String timestamp = message.get("timestamp").asText();
        assertThat(timestamp).matches(UTC_MILLIS);
        assertThat(Instant.parse(timestamp)).isBetween(Instant.now().minusSeconds(300), Instant.now().plusSeconds(5));
    }
}
