package io.squall.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.api.ApiService;
import io.squall.server.testing.Await;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import io.squall.services.messaging.MessagingService;
import org.junit.jupiter.api.Test;

/** Messaging between real WebSocket connections, and its placement in the private registry. */
class MessagingIT {

    @Test
    void participants_message_each_other_by_name() {
        try (TestBroker broker = TestBroker.start();
                WsTestClient alice = broker.connect();
                WsTestClient bob = broker.connect()) {
            assertThat(alice.call("messaging", "registerParticipant", "{\"name\":\"alice\"}", 0).toString())
                    .isEqualTo("{\"service\":\"messaging\",\"message\":{\"type\":\"response\",\"callId\":0,\"data\":null}}");
            bob.call("messaging", "registerParticipant", "{\"name\":\"bob\"}", 0);

            assertThat(bob.call("messaging", "listParticipants", "{}", 1).toString())
                    .isEqualTo("{\"service\":\"messaging\",\"message\":{\"type\":\"response\",\"callId\":1,"
                            + "\"data\":[\"alice\",\"bob\"]}}");
            alice.call("messaging", "send", "{\"sender\":\"alice\",\"dest\":\"bob\",\"body\":{\"text\":\"Hi\"}}", 2);

            assertThat(bob.nextText()).isEqualTo("{\"service\":\"messaging\",\"message\":{\"type\":\"message\","
                    + "\"sender\":\"alice\",\"dest\":\"bob\",\"body\":{\"text\":\"Hi\"}}}");
            assertThat(bob.call("messaging", "send", "{\"sender\":\"alice\",\"dest\":\"bob\",\"body\":1}", 3)
                    .at("/message/message").asText()).isEqualTo("Invalid sender");
            assertThat(bob.call("messaging", "registerParticipant", "{\"name\":\"alice\"}", 4)
                    .at("/message/message").asText()).isEqualTo("Name already registered");
        }
    }

    @Test
    void with_identity_names_a_connection_registers_only_its_token_identity() {
        try (TestBroker broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET, "auth.anonymous=true",
                "messaging.names=identity");
                WsTestClient alice = broker.connectWithToken(broker.mintToken("\"alice\""));
                WsTestClient anonymous = broker.connect()) {
            assertThat(alice.call("messaging", "registerParticipant", "{\"name\":\"bob\"}", 0)
                    .at("/message/message").asText()).isEqualTo("Name not allowed");
            assertThat(anonymous.call("messaging", "registerParticipant", "{\"name\":\"alice\"}", 0)
                    .at("/message/message").asText()).isEqualTo("Name not allowed");
            assertThat(alice.call("messaging", "registerParticipant", "{\"name\":\"alice\"}", 1).at("/message/type")
                    .asText()).isEqualTo("response");
            assertThat(anonymous.call("messaging", "listParticipants", "{}", 2).at("/message/data").toString())
                    .isEqualTo("[\"alice\"]");
        }
    }

    @Test
    void a_closed_connection_frees_its_names() {
        try (TestBroker broker = TestBroker.start(); WsTestClient bob = broker.connect()) {
            try (WsTestClient alice = broker.connect()) {
                alice.call("messaging", "registerParticipant", "{\"name\":\"alice\"}", 0);
            }
            Await.until("alice's name is freed", () -> broker.server().callOnLoop(
                    () -> messaging(broker).participantCount()) == 0);

            assertThat(bob.call("messaging", "send", "{\"sender\":\"x\",\"dest\":\"alice\",\"body\":1}", 0)
                    .at("/message/message").asText()).isEqualTo("Invalid sender");
            assertThat(bob.call("messaging", "registerParticipant", "{\"name\":\"alice\"}", 1)
                    .at("/message/type").asText()).isEqualTo("response");
        }
    }

    @Test
    void in_the_private_registry_it_serves_backends_and_a_backend_http_request_keeps_nothing() {
        try (TestBroker broker = TestBroker.start("messaging.registry=private");
                WsTestClient browser = broker.connect()) {
            assertThat(browser.call("messaging", "listParticipants", "{}", 0).at("/message/message").asText())
                    .isEqualTo("Unknown service");

            String register = "{\"service\":\"messaging\",\"message\":{\"command\":\"registerParticipant\","
                    + "\"params\":{\"name\":\"worker\"}}}";
            assertThat(broker.backend(register).body())
                    .isEqualTo("{\"service\":\"messaging\",\"message\":{\"type\":\"response\",\"data\":null}}");
            // the request was its own short connection: its name went with it, so it can be taken again
            assertThat(broker.backend(register).body()).contains("\"response\"");
            assertThat(broker.server().callOnLoop(() -> messaging(broker, true).participantCount())).isZero();
        }
    }

    private static MessagingService messaging(TestBroker broker) {
        return messaging(broker, false);
    }

    private static MessagingService messaging(TestBroker broker, boolean inPrivate) {
        var registry = inPrivate ? broker.server().privateRegistry() : broker.server().publicRegistry();
        return (MessagingService) ((ApiService) registry.service("messaging").orElseThrow()).service();
    }
}
