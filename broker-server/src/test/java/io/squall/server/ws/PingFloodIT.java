package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.Await;
import io.squall.server.testing.BrokerMeters;
import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that pings as fast as it can and never reads: its pongs are coalesced and counted against
 * {@code max.queued.bytes}, so it is cut as a slow consumer (4001) instead of growing the broker's heap (it once
 * grew by a gigabyte a minute), and everyone else is served meanwhile.
 */
class PingFloodIT {
    private static final String SLOW_CLOSED = "broker.clients.slow.closed";
    /** pings in one socket write */
    private static final int BATCH = 100;

    private TestBroker broker;

    @BeforeEach
    void start() {
        broker = TestBroker.start("max.queued.bytes=64KiB");
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        broker.close();
    }

    @Test
    void a_peer_that_floods_pings_without_reading_is_cut_as_a_slow_consumer() throws InterruptedException {
        try (WsTestClient other = broker.connect();
                RawWebSocket flooder = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            other.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);
            AtomicLong pings = new AtomicLong();
            Thread writer = flood(flooder, pings);

            Await.until("the flooder counted as a slow consumer", Duration.ofSeconds(20),
                    () -> BrokerMeters.counter(broker, SLOW_CLOSED, "transport", "ws") == 1.0);
            Await.until("the flooder's socket closed by the broker", () -> broker.server().openConnections() == 1);
            writer.join(Duration.ofSeconds(10).toMillis());

            assertThat(writer.isAlive()).as("the flooder's writes still accepted").isFalse();
            assertThat(other.call("pubsub", "publish", "{\"channel\":\"news\",\"message\":1}", 1).path("message")
                    .path("type").asText()).isEqualTo("response");
            assertThat(other.next().path("message").path("message").asInt()).isEqualTo(1);
            assertThat(other.isClosed()).isFalse();
            // its 4001 may be stuck behind the pongs it never read when the broker lets go of the socket
            assertThat(flooder.awaitDisconnect(Duration.ofSeconds(30))).isIn(4001, -1);
            assertThat(BrokerMeters.counter(broker, SLOW_CLOSED, "transport", "ws")).as("counted once").isEqualTo(1.0);
            assertThat(pings.get()).as("pings sent before the cut").isPositive();
        }
    }

    /** Writes full-size pings from another thread until the socket fails (or 20 s pass); never reads. */
    private static Thread flood(RawWebSocket flooder, AtomicLong pings) {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < BATCH; i++) {
            batch.writeBytes(RawWebSocket.encode(RawWebSocket.PING, true, new byte[125]));
        }
        byte[] bytes = batch.toByteArray();
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Thread writer = new Thread(() -> {
            try {
                while (System.nanoTime() - until < 0) {
                    flooder.sendRaw(bytes);
                    pings.addAndGet(BATCH);
                }
            } catch (AssertionError expected) {
                // the broker closed the socket: the write failed
            }
        }, "ping-flooder");
        writer.setDaemon(true);
        writer.start();
        return writer;
    }
}
