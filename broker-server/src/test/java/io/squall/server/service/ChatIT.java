package io.squall.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.service.chat.ChatService;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.TestIdentities;
import io.squall.server.testing.WsTestClient;
import org.junit.jupiter.api.Test;

/**
 * Chat over real WebSockets. Anonymous connections are refused by name. The multi-device case uses the test
 * identity stand-in ({@link TestIdentities}) until handshake authentication is in place.
 */
class ChatIT {

    @Test
    void an_anonymous_connection_is_answered_not_authenticated() {
        try (TestBroker broker = TestBroker.start(); WsTestClient anonymous = broker.connect()) {
            assertThat(anonymous.call("chat", "join", "{\"channel\":\"#cats\"}", 0).toString())
                    .isEqualTo("{\"service\":\"chat\",\"message\":{\"type\":\"error\",\"callId\":0,"
                            + "\"message\":\"Not authenticated\"}}");
            assertThat(anonymous.call("chat", "send", "{\"channel\":\"#cats\",\"body\":\"hi\"}", 1)
                    .at("/message/message").asText()).isEqualTo("Not joined");
            assertThat(broker.server().callOnLoop(() -> ((ChatService) broker.server().publicRegistry()
                    .service("chat").orElseThrow()).stateSizes().values())).containsOnly(0);
        }
    }

    @Test
    void two_identities_on_three_devices() {
        try (TestBroker broker = TestBroker.start("chat.service=")) {
            TestIdentities identities = TestIdentities.install(broker.server(),
                    context -> new ChatService("chat", context, 16));
            try (WsTestClient desktop = broker.connect();
                    WsTestClient laptop = broker.connect();
                    WsTestClient bob = broker.connect()) {
                TestIdentities.login(desktop, "\"Alice\"");
                TestIdentities.login(laptop, "\"Alice\"");
                TestIdentities.login(bob, "\"Bob\"");

                desktop.call("chat", "join", "{\"channel\":\"#cats\"}", 0);
                assertThat(bob.call("chat", "join", "{\"channel\":\"#cats\"}", 0).at("/message/data/members"))
                        .extracting(JsonNode::asText).containsExactlyInAnyOrder("Alice", "Bob");
                assertThat(desktop.next().at("/message/status").asText()).isEqualTo("joined");
                laptop.call("chat", "join", "{\"channel\":\"#cats\"}", 0); // Alice is present: no presence

                bob.call("chat", "send", "{\"channel\":\"#cats\",\"body\":\"Hi\"}", 1);
                for (WsTestClient device : new WsTestClient[] {desktop, laptop, bob}) {
                    JsonNode message = device.next().get("message");
                    assertThat(message.get("type").asText()).isEqualTo("message");
                    assertThat(message.get("from").asText()).isEqualTo("Bob");
                    assertThat(message.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
                }
                desktop.call("chat", "read", "{\"channel\":\"#cats\"}", 2);
                assertThat(laptop.next().at("/message/type").asText()).isEqualTo("read");

                desktop.close();
                laptop.call("chat", "send", "{\"channel\":\"#cats\",\"body\":\"still here\"}", 3);
                assertThat(bob.next().at("/message/body").asText()).as("no presence: Alice's laptop remains")
                        .isEqualTo("still here");
                laptop.close();
                JsonNode left = bob.next().get("message");
                assertThat(left.get("type").asText() + " " + left.get("from").asText() + " " + left.get("status").asText())
                        .isEqualTo("presence Alice left");
            }
            broker.awaitNoClients();
            Await.until("the chat and the identity stand-in hold nothing", () -> identities.sizeOnLoop(broker) == 0);
        }
    }
}
