package io.squall.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.json.Json;
import io.squall.server.testing.Await;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The private port's auth service over real HTTP and WebSockets: mint a token, connect with it, disconnect a user. */
class AuthBackendIT {
    private static final String SUBSCRIBED = "{\"service\":\"pubsub\",\"message\":{\"type\":\"response\",\"callId\":0,\"data\":null}}";

    private TestBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.awaitNoClients();
            assertThat(broker.server().callOnLoop(() -> broker.server().publicRegistry().identityCount()))
                    .as("the identity index is empty once everyone left").isZero();
            broker.close();
        }
    }

    private JsonNode backend(String command, String params) throws Exception {
        HttpResponse<String> response = broker.backend("{\"service\":\"auth_backend\",\"message\":{\"command\":\""
                + command + "\",\"params\":" + params + "}}");
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.mapper().readTree(response.body()).get("message");
    }

    private String mint(String identity) {
        return broker.mintToken("\"" + identity + "\"");
    }

    private URI withToken(String token) {
        return broker.wsUri(token);
    }

    @Test
    void a_token_minted_through_the_backend_opens_a_connection_with_that_identity() throws Exception {
        broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET, "pubsub.permissions=allow subscribe user:{identity}");

        try (WsTestClient alice = WsTestClient.connect(withToken(mint("alice")), Map.of())) {
            assertThat(alice.call("pubsub", "subscribe", "{\"channel\":\"user:alice\"}", 0).toString())
                    .isEqualTo(SUBSCRIBED);
            assertThat(alice.call("pubsub", "subscribe", "{\"channel\":\"user:bob\"}", 1).path("message")
                    .path("message").asText()).isEqualTo("Not authorized");
        }
    }

    @Test
    void minting_without_a_signing_key_answers_a_clear_error() throws Exception {
        broker = TestBroker.start();

        JsonNode reply = backend("mintToken", "{\"identity\":\"alice\"}");

        assertThat(reply.get("type").asText()).isEqualTo("error");
        assertThat(reply.get("message").asText()).isEqualTo("Token signing not configured");
    }

    @Test
    void disconnect_closes_every_connection_of_a_user_with_4003_and_leaves_the_others() throws Exception {
        broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET, "auth.anonymous=true");
        String aliceToken = mint("alice");
        List<WsTestClient> alice = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            alice.add(WsTestClient.connect(withToken(aliceToken), Map.of()));
        }
        try (WsTestClient bob = WsTestClient.connect(withToken(mint("bob")), Map.of());
                WsTestClient anonymous = broker.connect()) {
            for (WsTestClient client : List.of(alice.get(0), alice.get(1), alice.get(2), bob, anonymous)) {
                assertThat(client.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0).toString()).isEqualTo(SUBSCRIBED);
            }

            JsonNode reply = backend("disconnect", "{\"identity\":\"alice\"}");

            assertThat(reply.get("data").asInt()).isEqualTo(3);
            for (WsTestClient client : alice) {
                assertThat(client.awaitClose()).isEqualTo(4003);
            }
            Await.until("alice's connections are gone", () -> broker.server().callOnLoop(
                    () -> broker.server().publicRegistry().clientsWithIdentity(Json.mapper().readTree("\"alice\""))
                            .isEmpty()));
            broker.publish("\"news\"", "\"still here\"");
            assertThat(bob.next().path("message").path("message").asText()).isEqualTo("still here");
            assertThat(anonymous.next().path("message").path("message").asText()).isEqualTo("still here");
            assertThat(bob.isClosed()).isFalse();
            assertThat(backend("disconnect", "{\"identity\":\"alice\"}").get("data").asInt()).isZero();
        } finally {
            alice.forEach(WsTestClient::close);
        }
    }

    @Test
    void many_users_connecting_and_leaving_leave_no_identity_behind() throws Exception {
        broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET);
        int users = 40;
        List<String> tokens = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            tokens.add(mint("user" + u));
        }
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                sockets.add(RawWebSocket.connect(withToken(tokens.get(i % users)), Map.of()));
            }
            Await.until("200 clients registered", () -> broker.server().callOnLoop(
                    () -> broker.server().publicRegistry().clientCount()) == 200);
            assertThat(broker.server().callOnLoop(() -> broker.server().publicRegistry().identityCount())).isEqualTo(users);

            for (int u = 0; u < users; u += 2) {
                assertThat(backend("disconnect", "{\"identity\":\"user" + u + "\"}").get("data").asInt()).isEqualTo(5);
            }
            for (int i = 0; i < sockets.size(); i++) {
                if ((i % users) % 2 == 0) {
                    assertThat(sockets.get(i).awaitClose(Duration.ofSeconds(10))).isEqualTo(4003);
                }
            }
            Await.until("half of the users left", () -> broker.server().callOnLoop(
                    () -> broker.server().publicRegistry().identityCount()) == users / 2);
        } finally {
            sockets.forEach(RawWebSocket::close);
        }
    }
}
