package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The public handshake's origin check: own origin and listed origins in, everything else 403 before any upgrade. */
class OriginIT {
    private static final String SUBSCRIBED = "{\"service\":\"pubsub\",\"message\":{\"type\":\"response\",\"callId\":0,\"data\":null}}";

    private TestBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.awaitNoClients();
            broker.close();
        }
    }

    @Test
    void foreign_origin_is_refused_with_403() {
        broker = TestBroker.start();

        Throwable refused = catchThrowable(() -> WsTestClient.connect(broker.wsUri(), Map.of("Origin", "https://evil.example")));

        assertThat(handshakeFailure(refused).getResponse().statusCode()).isEqualTo(403);
        RawWebSocket.HandshakeResponse raw = RawWebSocket.handshakeOnly(broker.wsUri(), Map.of("Origin", "https://evil.example"));
        assertThat(raw.status()).isEqualTo(403);
        assertThat(raw.headers()).doesNotContainKey("sec-websocket-accept");
        assertThat(broker.server().openConnections()).isZero();
    }

    @Test
    void same_origin_as_the_host_is_accepted() {
        broker = TestBroker.start();
        String own = "http://127.0.0.1:" + broker.server().publicPort();

        try (WsTestClient client = WsTestClient.connect(broker.wsUri(), Map.of("Origin", own))) {
            assertThat(client.call("pubsub", "subscribe", "{\"channel\":\"o\"}", 0).toString()).isEqualTo(SUBSCRIBED);
        }
        assertThat(status(own + "/")).as("a trailing slash is the same origin").isEqualTo(101);
        assertThat(status("http://127.0.0.1:1")).as("same host, other port").isEqualTo(403);
        assertThat(status("http://localhost:" + broker.server().publicPort())).as("other host name").isEqualTo(403);
    }

    @Test
    void listed_origins_and_wildcard_subdomains_are_accepted_and_look_alikes_are_not() {
        broker = TestBroker.start("allowed.origins=https://trusted.example.org, https://*.example.com");

        try (WsTestClient client = WsTestClient.connect(broker.wsUri(), Map.of("Origin", "https://app.example.com"))) {
            assertThat(client.call("pubsub", "subscribe", "{\"channel\":\"o\"}", 0).toString()).isEqualTo(SUBSCRIBED);
        }
        assertThat(status("https://trusted.example.org")).isEqualTo(101);
        assertThat(status("HTTPS://App.Example.COM")).as("origins compare case-insensitively").isEqualTo(101);
        assertThat(status("https://a.b.example.com")).isEqualTo(101);

        assertThat(status("https://example.com.evil.net")).isEqualTo(403);
        assertThat(status("https://example.com")).as("the wildcard needs a subdomain").isEqualTo(403);
        assertThat(status("https://evilexample.com")).isEqualTo(403);
        assertThat(status("http://app.example.com")).as("other scheme").isEqualTo(403);
        assertThat(status("https://trusted.example.org.evil.net")).isEqualTo(403);
        assertThat(status("https://evil.example")).isEqualTo(403);
    }

    @Test
    void missing_origin_is_accepted_by_default() {
        broker = TestBroker.start();

        try (WsTestClient client = broker.connect()) {
            assertThat(client.call("pubsub", "subscribe", "{\"channel\":\"o\"}", 0).toString()).isEqualTo(SUBSCRIBED);
        }
        assertThat(RawWebSocket.handshakeOnly(broker.wsUri(), Map.of()).status()).isEqualTo(101);
    }

    @Test
    void missing_origin_is_refused_when_not_allowed_but_own_origin_still_works() {
        broker = TestBroker.start("allow.missing.origin=false");

        Throwable refused = catchThrowable(broker::connect);

        assertThat(handshakeFailure(refused).getResponse().statusCode()).isEqualTo(403);
        assertThat(RawWebSocket.handshakeOnly(broker.wsUri(), Map.of()).status()).isEqualTo(403);
        assertThat(status("http://127.0.0.1:" + broker.server().publicPort())).isEqualTo(101);
    }

    /** The status of a raw handshake with {@code origin}; a 101 is closed cleanly at once. */
    private int status(String origin) {
        return RawWebSocket.handshakeOnly(broker.wsUri(), Map.of("Origin", origin)).status();
    }

    /** The JDK client's handshake failure inside {@code thrown} (which must be one). */
    private static WebSocketHandshakeException handshakeFailure(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof WebSocketHandshakeException failure) {
                return failure;
            }
        }
        throw new AssertionError("the handshake did not fail as refused", thrown);
    }
}
