package io.squall.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.Await;
import io.squall.server.testing.BrokerMeters;
import io.squall.server.testing.RawHttp;
import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Slowloris and giant heads, on both ports: a connection gets {@code http.header.timeout} to send a whole request
 * head, a head may be {@code http.max.header.bytes} long, and only {@code http.max.pending.connections} connections
 * per port may be waiting for theirs. Before, a partial head was never timed out and heads up to 1 MiB were read.
 */
class RequestHeadLimitsIT {
    private static final Duration DEADLINE = Duration.ofMillis(1000);
    /** what a loaded machine may add to a timer */
    private static final Duration SLACK = Duration.ofMillis(500);
    private static final int MAX_PENDING = 4;
    private static final String PARTIAL = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

    private TestBroker broker;

    @BeforeEach
    void start() {
        broker = TestBroker.start("http.header.timeout=" + DEADLINE.toMillis() + "ms",
                "http.max.pending.connections=" + MAX_PENDING);
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"public", "private"})
    void a_request_head_cut_short_is_closed_at_the_deadline(String listener) {
        try (RawHttp slow = RawHttp.open(port(listener))) {
            slow.send(PARTIAL);

            assertThat(slow.awaitClosed(Duration.ofSeconds(5))).isBetween(DEADLINE.minus(SLACK), DEADLINE.plus(SLACK));
        }
        assertThat(BrokerMeters.counter(broker, "broker.http.header.timeouts", "listener", listener)).isEqualTo(1.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"public", "private"})
    void a_connection_that_sends_nothing_is_closed_at_the_deadline(String listener) {
        try (RawHttp silent = RawHttp.open(port(listener))) {
            assertThat(silent.awaitClosed(Duration.ofSeconds(5))).isBetween(DEADLINE.minus(SLACK), DEADLINE.plus(SLACK));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"public", "private"})
    void a_head_that_waits_then_trickles_gets_the_deadline_from_the_opening_not_twice(String listener) {
        try (RawHttp trickle = RawHttp.open(port(listener))) {
            pause(DEADLINE.multipliedBy(8).dividedBy(10));

            Duration closed = trickle.trickleUntilClosed(PARTIAL, Duration.ofMillis(50), Duration.ofSeconds(5));

            assertThat(closed).isBetween(DEADLINE.minus(SLACK), DEADLINE.plus(SLACK));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"public", "private"})
    void a_kept_alive_connection_gets_the_deadline_for_its_next_head_too(String listener) {
        try (RawHttp idle = RawHttp.open(port(listener)); RawHttp slow = RawHttp.open(port(listener))) {
            String whole = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            idle.send(whole);
            slow.send(whole);
            assertThat(idle.readResponse().status()).isIn(200, 404);
            assertThat(slow.readResponse().status()).isIn(200, 404);
            Duration answered = slow.sinceOpened();

            slow.send(PARTIAL);

            assertThat(slow.awaitClosed(Duration.ofSeconds(5)).minus(answered)).as("a second head cut short")
                    .isLessThan(DEADLINE.plus(SLACK));
            assertThat(idle.awaitClosed(Duration.ofSeconds(5)).minus(answered)).as("no second request at all")
                    .isLessThan(DEADLINE.plus(SLACK));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"public", "private"})
    void a_request_head_of_64_KiB_is_refused(String listener) {
        StringBuilder head = new StringBuilder("GET " + path(listener) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-Backend-Key: " + TestBroker.KEY + "\r\n");
        for (int i = 0; i < 64; i++) {
            head.append("X-Filler-").append(i).append(": ").append("f".repeat(1000)).append("\r\n");
        }
        head.append("\r\n");
        try (RawHttp big = RawHttp.open(port(listener))) {
            big.send(head.toString()); // may fail half-way: the server closes once it has read too much

            String answer;
            try {
                answer = big.readResponse().statusLine();
            } catch (AssertionError closedWithoutAnswer) {
                answer = "closed";
            }
            assertThat(answer).as("the answer to a 64 KiB head").matches("HTTP/1.1 (400|431) .*|closed");
            big.awaitClosed(Duration.ofSeconds(5));
        }
    }

    @Test
    void a_handshake_with_an_8_KiB_token_still_fits() {
        try (RawWebSocket ws = RawWebSocket.connect(broker.wsUri(), Map.of("X-Padding", "p".repeat(8 * 1024)))) {
            assertThat(ws.handshake().status()).isEqualTo(101);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"public", "private"})
    void connections_past_the_pending_cap_are_closed_at_once_and_counted(String listener) {
        List<RawHttp> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_PENDING; i++) {
                waiting.add(RawHttp.open(port(listener)));
            }
            Await.until("the pending connections counted", Duration.ofSeconds(5), () -> pending(listener) == MAX_PENDING);

            try (RawHttp refused = RawHttp.open(port(listener))) {
                assertThat(refused.awaitClosed(Duration.ofSeconds(5))).isLessThan(DEADLINE.dividedBy(2));
            }

            assertThat(BrokerMeters.counter(broker, "broker.connections.refused", "listener", listener,
                    "reason", "pending")).isEqualTo(1.0);
        } finally {
            waiting.forEach(RawHttp::close);
        }
        Await.until("the pending connections gone with their sockets", Duration.ofSeconds(5),
                () -> pending(listener) == 0);
    }

    @Test
    void upgraded_connections_are_not_pending_and_outlive_the_deadline() {
        List<WsTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_PENDING + 2; i++) {
                clients.add(broker.connect());
            }
            assertThat(pending("public")).isZero();
            pause(DEADLINE.multipliedBy(2));

            for (WsTestClient client : clients) {
                assertThat(client.call("pubsub", "subscribe", "{\"channel\":\"still\"}", 0).path("message")
                        .path("type").asText()).isEqualTo("response");
            }
        } finally {
            clients.forEach(WsTestClient::close);
        }
    }

    private double pending(String listener) {
        return broker.server().meters().get("broker.connections.pending").tag("listener", listener).gauge().value();
    }

    private int port(String listener) {
        return listener.equals("public") ? broker.server().publicPort() : broker.server().privatePort();
    }

    private static String path(String listener) {
        return listener.equals("public") ? "/ws" : "/backend/ws";
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
