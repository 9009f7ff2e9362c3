package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.Await;
import io.squall.server.testing.PrometheusText;
import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code broker_connections_closed_total{transport,code}}: each closed connection counts once, under the code of its
 * closing handshake whoever sent it first; 1006 without one; a code a peer chose outside Squall's set as {@code other}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloseCodeMetricsIT {
    private TestBroker broker;

    @BeforeAll
    void start() {
        broker = TestBroker.start("max.frame.bytes=1024");
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    @Test
    void closes_are_counted_by_the_code_of_their_handshake() {
        PrometheusText before = scrape();
        try (RawWebSocket tooBig = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            tooBig.sendText("x".repeat(2048));
            assertThat(tooBig.awaitClose(Duration.ofSeconds(10))).isEqualTo(1009);
        }
        try (RawWebSocket normal = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            normal.sendClose(1000);
            assertThat(normal.awaitClose(Duration.ofSeconds(10))).isEqualTo(1000);
        }
        try (RawWebSocket chosen = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            chosen.sendClose(4321);
            assertThat(chosen.awaitClose(Duration.ofSeconds(10))).isEqualTo(4321);
        }
        RawWebSocket.connect(broker.wsUri(), Map.of()).abort(); // the socket just ends: no close frame either way
        Await.until("four closes counted", Duration.ofSeconds(10), () -> {
            PrometheusText after = scrape();
            return delta(before, after, "1009") == 1 && delta(before, after, "1000") == 1
                    && delta(before, after, "other") == 1 && delta(before, after, "1006") == 1;
        });
        assertThat(scrape().samples()).filteredOn(s -> s.name().equals("broker_connections_closed_total"))
                .extracting(s -> s.labels().get("code")).doesNotContain("4321");
    }

    private PrometheusText scrape() {
        return new PrometheusText(broker.get("/metrics").body());
    }

    private static double delta(PrometheusText before, PrometheusText after, String code) {
        return after.counter("broker_connections_closed_total", "transport", "ws", "code", code)
                - before.counter("broker_connections_closed_total", "transport", "ws", "code", code);
    }
}
