package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.squall.server.testing.BrokerMeters;
import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.io.IOException;
import java.net.Socket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The public handshake's origin check over real sockets: own origin (public.url, or loopback on the public port) and
 * listed origins in, parsed strictly; everything else 403 with its reason before any upgrade, whatever Host says.
 */
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
    void without_public_url_the_own_origin_is_loopback_on_the_public_port() {
        broker = TestBroker.start();
        String own = "http://127.0.0.1:" + broker.server().publicPort();

        try (WsTestClient client = WsTestClient.connect(broker.wsUri(), Map.of("Origin", own))) {
            assertThat(client.call("pubsub", "subscribe", "{\"channel\":\"o\"}", 0).toString()).isEqualTo(SUBSCRIBED);
        }
        assertThat(status("http://localhost:" + broker.server().publicPort())).isEqualTo(101);
        assertThat(status("HTTP://LocalHost:" + broker.server().publicPort())).isEqualTo(101);
        assertThat(status("http://127.0.0.1:1")).as("same host, other port").isEqualTo(403);
        assertThat(status("https://127.0.0.1:" + broker.server().publicPort())).as("other scheme").isEqualTo(403);
    }

    @Test
    void an_origin_with_a_path_or_a_hidden_suffix_is_refused_as_malformed() {
        broker = TestBroker.start("allowed.origins=https://app.example.com, https://*.example.org");
        String own = "http://127.0.0.1:" + broker.server().publicPort();

        assertThat(status("https://app.example.com")).isEqualTo(101);
        assertThat(refusal("https://app.example.com/", null)).isEqualTo("403 Malformed Origin header");
        assertThat(refusal("https://evil.com/.example.org", null)).isEqualTo("403 Malformed Origin header");
        assertThat(refusal(own + "/", null)).as("own origin with a trailing slash").isEqualTo("403 Malformed Origin header");
        assertThat(refusal("https://app.example.com@evil.com", null)).isEqualTo("403 Malformed Origin header");
        assertThat(refusal("https://evil.com", null)).isEqualTo("403 Origin not allowed");
        assertThat(BrokerMeters.counter(broker, "broker.connections.refused", "listener", "public", "reason", "origin"))
                .isEqualTo(5);
        assertThat(broker.server().openConnections()).isZero();
    }

    @Test
    void origin_equal_to_a_foreign_host_header_is_refused_dns_rebinding() {
        broker = TestBroker.start();
        int port = broker.server().publicPort();

        assertThat(refusal("http://evil.example:" + port, "evil.example:" + port)).isEqualTo("403 Origin not allowed");
        assertThat(refusal("http://attacker.test", "attacker.test")).isEqualTo("403 Origin not allowed");
        assertThat(status("http://127.0.0.1:" + port)).isEqualTo(101);
    }

    @Test
    void with_public_url_its_origin_is_own_and_loopback_no_longer_is() {
        broker = TestBroker.start("public.url=https://broker.example.com/squall/");
        int port = broker.server().publicPort();

        assertThat(status("https://broker.example.com")).isEqualTo(101);
        assertThat(status("https://Broker.Example.com:443")).isEqualTo(101);
        assertThat(refusal("http://broker.example.com", null)).isEqualTo("403 Origin not allowed");
        assertThat(refusal("http://127.0.0.1:" + port, null)).isEqualTo("403 Origin not allowed");
        assertThat(refusal("https://evil.example", "broker.example.com")).isEqualTo("403 Origin not allowed");
    }

    @Test
    void null_origin_needs_to_be_listed_by_name() {
        broker = TestBroker.start("allowed.origins=*");
        assertThat(status("https://anything.example")).isEqualTo(101);
        assertThat(refusal("null", null)).isEqualTo("403 Origin not allowed");
        broker.awaitNoClients();
        broker.close();

        broker = TestBroker.start("allowed.origins=null");
        assertThat(status("null")).isEqualTo(101);
    }

    @Test
    void a_bad_allowed_origin_stops_the_start_naming_the_key() {
        assertThat(catchThrowable(() -> TestBroker.start("allowed.origins=https://ok.example, https://app.example.com/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowed.origins")
                .hasMessageContaining("'https://app.example.com/'");
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

    /**
     * Sends a WebSocket handshake with {@code origin} (and {@code host} as the Host header, when given) over a plain
     * socket and answers the refusal's status and body, e.g. {@code 403 Origin not allowed}.
     */
    private String refusal(String origin, String host) {
        int port = broker.server().publicPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = "GET /ws HTTP/1.1\r\nHost: " + (host == null ? "127.0.0.1:" + port : host) + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: " + origin + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            RawWebSocket.HandshakeResponse head = RawWebSocket.readHead(socket.getInputStream());
            int length = Integer.parseInt(head.headers().getOrDefault("content-length", "0"));
            return head.status() + " " + new String(socket.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("no answer to a handshake from " + origin, e);
        }
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
