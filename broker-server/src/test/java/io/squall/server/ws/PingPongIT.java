package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.BrokerMeters;
import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Liveness: idle connections are pinged; one that does not answer within {@code pong.timeout} is closed with 4002. */
class PingPongIT {
    private static final String PONG_TIMEOUTS = "broker.clients.pong.timeout";

    private TestBroker broker;

    @BeforeEach
    void start() {
        broker = TestBroker.start("ping.interval=200ms", "pong.timeout=300ms");
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        broker.close();
    }

    @Test
    void a_peer_that_never_answers_pings_is_closed_with_4002() {
        try (RawWebSocket silent = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            long start = System.nanoTime();

            int code = silent.awaitClose(Duration.ofSeconds(5));

            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(code).isEqualTo(4002);
            assertThat(elapsed).isLessThan(Duration.ofSeconds(2));
            assertThat(silent.pingsReceived()).isGreaterThanOrEqualTo(1);
            assertThat(silent.received().get(0).opcode()).as("the first frame is a ping").isEqualTo(RawWebSocket.PING);
            assertThat(silent.received().getLast().text()).endsWith("Pong timeout");
            assertThat(BrokerMeters.counter(broker, PONG_TIMEOUTS, "transport", "ws")).isEqualTo(1.0);
        }
    }

    @Test
    void a_peer_that_answers_pings_stays_open_and_keeps_working() {
        try (WsTestClient client = broker.connect()) {
            client.call("pubsub", "subscribe", "{\"channel\":\"alive\"}", 0);
            long until = System.nanoTime() + Duration.ofMillis(1600).toNanos();

            // watch it through several ping intervals and pong timeouts: it must never be closed
            while (System.nanoTime() - until < 0) {
                assertThat(client.poll(Duration.ofMillis(50))).as("no frame but pings while idle").isNull();
                assertThat(client.isClosed()).as("closed after answering pings").isFalse();
            }

            assertThat(client.pingsReceived()).as("pings were sent (and answered by the JDK client)").isGreaterThanOrEqualTo(3);
            assertThat(BrokerMeters.counter(broker, PONG_TIMEOUTS, "transport", "ws")).isZero();
            assertThat(broker.server().openConnections()).isEqualTo(1);
            assertThat(client.call("pubsub", "publish", "{\"channel\":\"alive\",\"message\":1}", 1)
                    .path("message").path("type").asText()).isEqualTo("response");
            assertThat(client.next().path("message").path("message").asInt()).isEqualTo(1);
        }
    }

    @Test
    void a_silent_peer_is_counted_once_and_does_not_take_a_live_one_with_it() {
        try (WsTestClient live = broker.connect();
                RawWebSocket silent = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            assertThat(silent.awaitClose(Duration.ofSeconds(5))).isEqualTo(4002);

            // the silent peer has not answered our close yet; later sweeps (seen as pings to the live peer) must not
            // count it again
            awaitPings(live, live.pingsReceived() + 2);
            assertThat(BrokerMeters.counter(broker, PONG_TIMEOUTS, "transport", "ws")).isEqualTo(1.0);
            assertThat(live.isClosed()).isFalse();
            assertThat(live.call("pubsub", "subscribe", "{\"channel\":\"x\"}", 0).path("message").path("type").asText())
                    .isEqualTo("response");
        }
    }

    private static void awaitPings(WsTestClient client, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (client.pingsReceived() < count) {
            assertThat(System.nanoTime() - deadline).as("%s pings within 5 s", count).isNegative();
            assertThat(client.poll(Duration.ofMillis(10))).as("no frame but pings while idle").isNull();
        }
    }
}
