package io.squall.server.security;

import static io.squall.server.testing.Jwts.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.squall.server.testing.BrokerMeters;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tokens at the public handshake, over real sockets: refused ones get a plain 401 and never a WebSocket. */
class AuthHandshakeIT {
    private static final String SUBSCRIBED = "{\"service\":\"pubsub\",\"message\":{\"type\":\"response\",\"callId\":0,\"data\":null}}";
    private static final String NOT_AUTHORIZED = "{\"service\":\"pubsub\",\"message\":{\"type\":\"error\",\"callId\":1,\"message\":\"Not authorized\"}}";

    private TestBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.awaitNoClients();
            broker.close();
        }
    }

    private URI withToken(String token) {
        return broker.wsUri(token);
    }

    private static String token(String subject, long seconds) {
        return Jwts.hs256(Jwts.SECRET, claims(subject, Instant.now(), seconds).build());
    }

    /** The body of a plain GET to the WebSocket path (the JDK's WebSocket client does not expose a refused body). */
    private HttpResponse<String> get(URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri.toString().replace("ws://", "http://")))
                .timeout(Duration.ofSeconds(20));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertRefused(URI uri, Map<String, String> headers, String body, String reason) throws Exception {
        RawWebSocket.HandshakeResponse raw = RawWebSocket.handshakeOnly(uri, headers);
        assertThat(raw.status()).isEqualTo(401);
        assertThat(raw.headers()).doesNotContainKey("sec-websocket-accept");
        assertThat(raw.headers().get("www-authenticate")).startsWith("Bearer realm=\"squall\"");
        Throwable refused = catchThrowable(() -> WsTestClient.connect(uri, headers));
        assertThat(refused).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(401);
        HttpResponse<String> plain = get(uri, headers);
        assertThat(plain.statusCode()).isEqualTo(401);
        assertThat(plain.body()).isEqualTo(body);
        assertThat(broker.server().openConnections()).as("no WebSocket was ever opened").isZero();
        assertThat(broker.server().callOnLoop(() -> broker.server().publicRegistry().clientCount())).isZero();
        assertThat(BrokerMeters.counter(broker, "broker.auth.refused", "reason", reason)).isEqualTo(3.0);
    }

    @Test
    void a_token_with_a_bad_signature_is_refused_with_401_and_no_websocket() throws Exception {
        broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET);
        String forged = Jwts.hs256("someone-elses-secret-that-is-long-enough", claims("alice", Instant.now(), 60).build());

        assertRefused(withToken(forged), Map.of(), "Invalid token signature", "bad_signature");
        assertThat(RawWebSocket.handshakeOnly(withToken(forged), Map.of()).headers().get("www-authenticate"))
                .contains("error=\"invalid_token\"");
    }

    @Test
    void an_expired_token_is_refused_with_401() throws Exception {
        broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET);

        assertRefused(withToken(token("alice", -120)), Map.of(), "Token expired", "expired");
    }

    @Test
    void a_missing_token_is_refused_once_a_key_is_configured() throws Exception {
        broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET);

        assertRefused(broker.wsUri(), Map.of(), "Missing token", "missing");
        assertThat(RawWebSocket.handshakeOnly(broker.wsUri(), Map.of()).headers().get("www-authenticate"))
                .isEqualTo("Bearer realm=\"squall\"");
    }

    @Test
    void a_bad_token_is_refused_even_when_anonymous_connections_are_allowed() throws Exception {
        broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET, "auth.anonymous=true");

        assertRefused(withToken("not-a-jwt"), Map.of(), "Malformed token", "malformed");
        try (WsTestClient anonymous = broker.connect()) {
            assertThat(anonymous.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0).toString()).isEqualTo(SUBSCRIBED);
        }
    }

    @Test
    void a_token_given_twice_or_under_another_scheme_is_refused() throws Exception {
        broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET);
        String good = token("alice", 60);

        assertRefused(withToken(good), Map.of("Authorization", "Bearer " + good), "Token given more than once",
                "ambiguous");
        assertRefused(broker.wsUri(), Map.of("Authorization", "Basic YWxpY2U6cHc="),
                "Authorization header is not a Bearer token", "bad_scheme");
    }

    @Test
    void a_valid_token_in_the_query_or_the_authorization_header_opens_the_connection() {
        broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET);

        try (WsTestClient query = WsTestClient.connect(withToken(token("alice", 60)), Map.of());
                WsTestClient header = WsTestClient.connect(broker.wsUri(),
                        Map.of("Authorization", "Bearer " + token("bob", 60)))) {
            assertThat(query.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0).toString()).isEqualTo(SUBSCRIBED);
            assertThat(header.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0).toString()).isEqualTo(SUBSCRIBED);
        }
        assertThat(RawWebSocket.handshakeOnly(withToken(token("carol", 60)), Map.of("Authorization", "Basic YWxpY2U6cHc="))
                .status()).as("a proxy's Basic credentials beside a query token are not ours").isEqualTo(101);
        assertThat(BrokerMeters.counter(broker, "broker.auth.accepted", "kind", "token")).isEqualTo(3.0);
    }

    @Test
    void the_token_identity_is_in_effect_for_channel_permissions() {
        broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET, "auth.anonymous=true",
                "pubsub.permissions=allow subscribe user:{identity}; allow subscribe news");

        try (WsTestClient alice = WsTestClient.connect(withToken(token("alice", 60)), Map.of());
                WsTestClient anonymous = broker.connect()) {
            assertThat(alice.call("pubsub", "subscribe", "{\"channel\":\"user:alice\"}", 0).toString())
                    .isEqualTo(SUBSCRIBED);
            assertThat(alice.call("pubsub", "subscribe", "{\"channel\":\"user:bob\"}", 1).toString())
                    .isEqualTo(NOT_AUTHORIZED);
            assertThat(anonymous.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0).toString()).isEqualTo(SUBSCRIBED);
            assertThat(anonymous.call("pubsub", "subscribe", "{\"channel\":\"user:\"}", 1).toString())
                    .isEqualTo(NOT_AUTHORIZED);
            assertThat(alice.call("pubsub", "publish", "{\"channel\":\"news\",\"message\":1}", 1).toString())
                    .as("no rule allows publish").isEqualTo(NOT_AUTHORIZED);

            broker.publish("\"user:alice\"", "\"for alice\"");
            assertThat(alice.next().path("message").path("message").asText()).isEqualTo("for alice");
        }
    }
}
