package io.squall.server.hooks;

import static io.squall.server.hooks.ProxySubscribeIT.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.Await;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The connect proxy at the handshake (identity, data, channels, refusal) and the refresh proxy before expiry. */
class ConnectRefreshIT {
    private final TestApp app = TestApp.start();
    private TestBroker broker;

    private void start(String... flags) {
        List<String> all = new java.util.ArrayList<>(List.of("hooks.secret=" + TestApp.SECRET,
                "proxy.connect.url=" + app.url("/connect"), "proxy.rpc.url=" + app.url("/rpc"),
                "proxy.headers=Cookie", "auth.jwt.secret=" + Jwts.SECRET, "auth.anonymous=false"));
        all.addAll(List.of(flags));
        broker = TestBroker.start(all.toArray(String[]::new));
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.awaitNoClients();
            broker.close();
        }
        app.close();
        assertThat(app.badSignatures).hasValue(0);
    }

    @Test
    void the_application_gives_a_connection_its_identity_first_data_and_channels() {
        start();
        app.on("connect", body -> TestApp.Reply.json("{\"result\":{\"identity\":\"u42\",\"data\":{\"hello\":1},"
                + "\"channels\":[\"news\"]}}"));
        app.on("rpc", body -> TestApp.Reply.json("{\"result\":{\"data\":" + body.get("identity") + "}}"));
        try (WsTestClient client = WsTestClient.connect(broker.wsUri(), Map.of("Cookie", "sid=1"))) {
            JsonNode first = client.next();
            assertThat(first.get("service").asText()).isEqualTo("connect");
            assertThat(first.at("/message/type").asText()).isEqualTo("connect");
            assertThat(first.at("/message/data/hello").asInt()).isEqualTo(1);
            assertThat(type(client.next())).isEqualTo("response"); // the subscribe to "news"
            broker.publish("\"news\"", "\"extra\"");
            assertThat(client.next().at("/message/message").asText()).isEqualTo("extra");
            // the identity is the application's: the rpc proxy sees it
            assertThat(client.call("app", "whoami", "{}", 1).at("/message/data").asText()).isEqualTo("u42");
        }
        TestApp.Call connect = app.calls("connect").get(0);
        assertThat(connect.body().get("transport").asText()).isEqualTo("websocket");
        assertThat(connect.body().get("remote").asText()).isEqualTo("127.0.0.1");
        assertThat(connect.body().get("origin").isNull()).isTrue();
        assertThat(connect.header("Cookie")).isEqualTo("sid=1");
        assertThat(app.calls("rpc").get(0).body().get("client")).isEqualTo(connect.body().get("client"));
    }

    @Test
    void a_refusal_is_a_403_with_the_error_name_and_no_answer_a_503() {
        start("proxy.connect.timeout=500ms");
        app.answer("connect", "{\"error\":{\"name\":\"Login first\"}}");
        assertThat(RawWebSocket.handshakeOnly(broker.wsUri(), Map.of()).status()).isEqualTo(403);
        app.on("connect", body -> new TestApp.Reply(200, "{\"result\":{\"identity\":1}}", 3_000));
        assertThat(RawWebSocket.handshakeOnly(broker.wsUri(), Map.of()).status()).isEqualTo(503);
        app.answer("connect", "{\"result\":{\"data\":1}}"); // no identity: a bad answer
        assertThat(RawWebSocket.handshakeOnly(broker.wsUri(), Map.of()).status()).isEqualTo(503);
        assertThat(broker.server().openConnections()).isZero();
    }

    @Test
    void a_connection_with_a_token_is_not_sent_unless_always() {
        start();
        String token = Jwts.hs256(Jwts.SECRET, Jwts.claims("alice", Instant.now(), 300).build());
        try (WsTestClient client = broker.connectWithToken(token)) {
            assertThat(type(client.call("pubsub", "ping", "{}", 0))).isEqualTo("response");
        }
        assertThat(app.calls("connect")).isEmpty();
    }

    @Test
    void the_refresh_proxy_extends_an_identity_then_its_refusal_closes_with_4006() {
        start("proxy.refresh.url=" + app.url("/refresh"), "proxy.refresh.timeout=500ms");
        app.on("connect", body -> TestApp.Reply.json("{\"result\":{\"identity\":{\"user\":7},\"expiresAt\":"
                + (Instant.now().getEpochSecond() + 2) + "}}"));
        AtomicInteger refreshes = new AtomicInteger();
        app.on("refresh", body -> TestApp.Reply.json(refreshes.incrementAndGet() == 1
                ? "{\"result\":{\"expiresAt\":" + (Instant.now().getEpochSecond() + 2) + "}}"
                : "{\"error\":{\"name\":\"Session over\"}}"));
        try (WsTestClient client = broker.connect()) {
            assertThat(client.awaitClose()).isEqualTo(4006);
        }
        assertThat(refreshes).hasValue(2);
        JsonNode refresh = app.calls("refresh").get(0).body();
        assertThat(refresh.at("/identity/user").asInt()).isEqualTo(7);
        assertThat(refresh.get("client")).isEqualTo(app.calls("connect").get(0).body().get("client"));
    }

    @Test
    void a_tokens_exp_is_refreshed_too_when_a_refresh_proxy_is_set() {
        start("proxy.refresh.url=" + app.url("/refresh"), "proxy.refresh.timeout=500ms");
        AtomicInteger refreshes = new AtomicInteger();
        app.on("refresh", body -> TestApp.Reply.json(refreshes.incrementAndGet() == 1
                ? "{\"result\":{\"expiresAt\":" + (Instant.now().getEpochSecond() + 2) + "}}"
                : "{\"disconnect\":{\"code\":4100,\"reason\":\"logged out\"}}"));
        String token = Jwts.hs256(Jwts.SECRET, Jwts.claims("alice", Instant.now(), 3).build());
        try (WsTestClient client = broker.connectWithToken(token)) {
            assertThat(client.awaitClose()).isEqualTo(4100);
        }
        assertThat(app.calls("connect")).isEmpty();
        assertThat(app.calls("refresh").get(0).body().get("identity").asText()).isEqualTo("alice");
    }

    @Test
    void without_a_refresh_proxy_the_identity_ends_at_its_expiry() {
        start();
        app.on("connect", body -> TestApp.Reply.json("{\"result\":{\"identity\":\"u\",\"expiresAt\":"
                + (Instant.now().getEpochSecond() + 1) + "}}"));
        try (WsTestClient client = broker.connect()) {
            assertThat(client.awaitClose()).isEqualTo(4006);
        }
        Await.until("the connection is gone", () -> broker.server().openConnections() == 0);
    }
}
