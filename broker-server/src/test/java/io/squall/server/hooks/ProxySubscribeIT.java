package io.squall.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.Await;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The subscribe proxy in front of every service's subscribe-like step (PubSub subscribe, Chat join, Cursors join,
 * DataSync acquire), against a real application server that verifies each call's signature.
 */
class ProxySubscribeIT {
    private TestApp app;
    private TestBroker broker;

    @BeforeEach
    void start() {
        app = TestApp.start();
        broker = TestBroker.start("hooks.secret=" + TestApp.SECRET, "proxy.subscribe.url=" + app.url("/subscribe"),
                "proxy.headers=Cookie,X-Tenant", "auth.jwt.secret=" + Jwts.SECRET, "auth.anonymous=true",
                "datasync.dealers=All=broadcast:Task");
        // the application allows what starts with "ok", refuses the rest with its own error name
        app.on("subscribe", body -> {
            String channel = body.path("channel").asText();
            if (channel.startsWith("ok")) {
                return TestApp.Reply.json("{\"result\":{}}");
            }
            if (channel.startsWith("bye")) {
                return TestApp.Reply.json("{\"disconnect\":{\"code\":4321,\"reason\":\"go away\"}}");
            }
            return TestApp.Reply.json("{\"error\":{\"name\":\"Not your channel\",\"message\":\"no\"}}");
        });
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        broker.close();
        app.close();
        assertThat(app.badSignatures).hasValue(0);
    }

    @Test
    void pubsub_subscribe_is_allowed_or_refused_by_the_application_with_its_own_error_name() {
        try (WsTestClient client = WsTestClient.connect(broker.wsUri(),
                Map.of("Cookie", "session=abc", "X-Tenant", "t1", "X-Secret", "never-passed"))) {
            assertThat(type(client.call("pubsub", "subscribe", "{\"channel\":\"ok:1\"}", 0))).isEqualTo("response");
            JsonNode refused = client.call("pubsub", "subscribe", "{\"channel\":\"no:1\"}", 1);
            assertThat(refused.at("/message/message").asText()).isEqualTo("Not your channel");

            broker.publish("\"ok:1\"", "\"hello\"");
            assertThat(client.next().at("/message/message").asText()).isEqualTo("hello");
            assertThat(broker.server().callOnLoop(() -> broker.server().publicRegistry().clientCount())).isEqualTo(1);
        }
        TestApp.Call call = app.calls("subscribe").get(0);
        assertThat(call.body().get("service").asText()).isEqualTo("pubsub");
        assertThat(call.body().get("channel").asText()).isEqualTo("ok:1");
        assertThat(call.body().get("identity").isNull()).isTrue();
        assertThat(call.body().at("/params/channel").asText()).isEqualTo("ok:1");
        assertThat(call.body().get("client").asText()).isNotEmpty();
        assertThat(app.calls("subscribe").get(1).body().get("client")).isEqualTo(call.body().get("client"));
        assertThat(call.header("X-Squall-Hook")).isEqualTo("subscribe");
        assertThat(call.header("X-Squall-Node")).isNotEmpty();
        assertThat(call.header("Content-Type")).isEqualTo("application/json");
        // the allowlist: Cookie and X-Tenant pass, nothing else from the handshake does
        assertThat(call.header("Cookie")).isEqualTo("session=abc");
        assertThat(call.header("X-Tenant")).isEqualTo("t1");
        assertThat(call.header("X-Secret")).isNull();
    }

    @Test
    void a_disconnect_answer_closes_the_connection_with_the_applications_code() {
        try (WsTestClient client = broker.connect()) {
            client.send("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\","
                    + "\"params\":{\"channel\":\"bye\"},\"callId\":0}}");
            assertThat(client.awaitClose()).isEqualTo(4321);
        }
    }

    @Test
    void chat_join_and_cursors_join_go_to_the_application_with_the_identity() {
        String token = Jwts.hs256(Jwts.SECRET, Jwts.claims("alice", Instant.now(), 300).build());
        try (WsTestClient client = broker.connectWithToken(token)) {
            assertThat(type(client.call("chat", "join", "{\"channel\":\"ok-room\"}", 0))).isEqualTo("response");
            assertThat(client.call("chat", "join", "{\"channel\":\"room\"}", 1).at("/message/message").asText())
                    .isEqualTo("Not your channel");
            assertThat(type(client.call("cursors", "join", "{\"document\":\"ok-doc\"}", 2))).isEqualTo("response");
            assertThat(client.call("cursors", "join", "{\"document\":\"doc\"}", 3).at("/message/message").asText())
                    .isEqualTo("Not your channel");
            // refused joins hold nothing: the same channel can be left only once it was joined
            assertThat(client.call("chat", "leave", "{\"channel\":\"room\"}", 4).at("/message/message").asText())
                    .isEqualTo("Not joined");
        }
        JsonNode chat = app.calls("subscribe").get(0).body();
        assertThat(chat.get("service").asText()).isEqualTo("chat");
        assertThat(chat.get("identity").asText()).isEqualTo("alice");
        JsonNode cursors = app.calls("subscribe").get(2).body();
        assertThat(cursors.get("service").asText()).isEqualTo("cursors");
        assertThat(cursors.get("channel").asText()).isEqualTo("ok-doc");
    }

    @Test
    void datasync_acquire_goes_to_the_application_with_the_token_as_channel() {
        app.on("subscribe", body -> TestApp.Reply.json(body.path("service").asText().equals("datasync")
                && body.at("/params/token").asText().equals(body.path("channel").asText())
                ? "{\"result\":{}}" : "{\"error\":{\"name\":\"Wrong call\"}}"));
        String token = broker.backend("{\"service\":\"datasync_backend\",\"message\":{\"command\":"
                + "\"authorizeSubscription\",\"params\":{\"items\":[{\"dealer\":\"All\",\"query\":null}]}}}")
                .body().replaceAll(".*\"data\":\"([^\"]+)\".*", "$1");
        try (WsTestClient client = broker.connect()) {
            assertThat(type(client.call("datasync", "acquireSubscription", "{\"token\":\"" + token + "\"}", 0)))
                    .isEqualTo("response");
        }
        app.answer("subscribe", "{\"error\":{\"name\":\"Not yours\"}}");
        String other = broker.backend("{\"service\":\"datasync_backend\",\"message\":{\"command\":"
                + "\"authorizeSubscription\",\"params\":{\"items\":[{\"dealer\":\"All\",\"query\":null}]}}}")
                .body().replaceAll(".*\"data\":\"([^\"]+)\".*", "$1");
        try (WsTestClient client = broker.connect()) {
            assertThat(client.call("datasync", "acquireSubscription", "{\"token\":\"" + other + "\"}", 0)
                    .at("/message/message").asText()).isEqualTo("Not yours");
        }
    }

    @Test
    void invalid_params_never_reach_the_application() {
        try (WsTestClient client = broker.connect()) {
            assertThat(client.call("pubsub", "subscribe", "{\"channel\":\"ok\",\"extra\":1}", 0)
                    .at("/message/message").asText()).isEqualTo("Invalid params");
            assertThat(type(client.call("pubsub", "unsubscribe", "{\"channel\":\"ok\"}", 1))).isEqualTo("error");
        }
        assertThat(app.calls("subscribe")).isEmpty();
    }

    @Test
    void only_channels_matching_proxy_subscribe_channels_are_sent() {
        broker.awaitNoClients();
        broker.close();
        broker = TestBroker.start("hooks.secret=" + TestApp.SECRET, "proxy.subscribe.url=" + app.url("/subscribe"),
                "proxy.subscribe.channels=private:*; user:{identity}");
        try (WsTestClient client = broker.connect()) {
            assertThat(type(client.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0))).isEqualTo("response");
            assertThat(client.call("pubsub", "subscribe", "{\"channel\":\"private:x\"}", 1)
                    .at("/message/message").asText()).isEqualTo("Not your channel");
        }
        assertThat(app.calls("subscribe")).hasSize(1);
    }

    @Test
    void a_connection_has_one_client_id_in_proxy_calls_and_webhook_events() {
        broker.awaitNoClients();
        broker.close();
        broker = TestBroker.start("hooks.secret=" + TestApp.SECRET, "proxy.subscribe.url=" + app.url("/subscribe"),
                "webhooks.url=" + app.url("/events"), "webhooks.channels=ok:* subscribed",
                "webhooks.connections=connected,disconnected");
        try (WsTestClient client = broker.connect()) {
            assertThat(type(client.call("pubsub", "subscribe", "{\"channel\":\"ok:ids\"}", 0))).isEqualTo("response");
        }
        Await.until("connected, subscribed and disconnected told", () -> app.calls("webhook").stream()
                .mapToInt(call -> call.body().path("events").size()).sum() >= 3);
        String proxied = app.calls("subscribe").get(0).body().get("client").asText();
        List<String> told = app.calls("webhook").stream()
                .flatMap(call -> java.util.stream.StreamSupport.stream(call.body().path("events").spliterator(), false))
                .map(event -> event.path("client").asText()).toList();
        assertThat(told).hasSize(3).containsOnly(proxied);
    }

    static String type(JsonNode frame) {
        return frame.at("/message/type").asText();
    }
}
