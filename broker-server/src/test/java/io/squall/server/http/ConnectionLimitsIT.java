package io.squall.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import io.squall.server.SuppressForbidden;
import io.squall.server.testing.Await;
import io.squall.server.testing.BrokerMeters;
import io.squall.server.testing.RawHttp;
import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A clean refusal when the public port is full: {@code max.connections} WebSockets, then 503 before any upgrade; and
 * {@code fd.reserve} descriptors the public port never takes, so the private port (backends, {@code /health}) still
 * answers when the process runs short of descriptors.
 */
class ConnectionLimitsIT {
    private static final String REFUSED = "broker.connections.refused";

    @Test
    void handshakes_past_max_connections_are_answered_503_and_counted() {
        try (TestBroker broker = TestBroker.start("max.connections=2")) {
            try (WsTestClient first = broker.connect(); WsTestClient second = broker.connect()) {
                RawWebSocket.HandshakeResponse refused = RawWebSocket.handshakeOnly(broker.wsUri(), Map.of());

                assertThat(refused.status()).isEqualTo(503);
                assertThat(BrokerMeters.counter(broker, REFUSED, "listener", "public", "reason", "max_connections"))
                        .isEqualTo(1.0);
                assertThat(first.call("pubsub", "subscribe", "{\"channel\":\"a\"}", 0).path("message").path("type")
                        .asText()).as("the open ones are served").isEqualTo("response");
                try (RawWebSocket backend = RawWebSocket.connect(broker.backendWsUri(),
                        Map.of("X-Backend-Key", TestBroker.KEY))) {
                    assertThat(backend.handshake().status()).as("the private port has no such cap").isEqualTo(101);
                }
            }
            broker.awaitNoClients();
            try (WsTestClient again = broker.connect()) {
                assertThat(again.isClosed()).as("room again once they closed").isFalse();
            }
            broker.awaitNoClients();
        }
    }

    @Test
    @SuppressForbidden("reads this JVM's descriptor counts to leave the broker a known headroom")
    void the_public_port_leaves_the_descriptor_reserve_and_the_private_port_still_answers() {
        var os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long headroom = 80; // the broker's own threads and sockets take some; each test connection takes two
        long reserve = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - headroom;
        List<RawHttp> held = new ArrayList<>();
        try (TestBroker broker = TestBroker.start("fd.reserve=" + reserve)) {
            int accepted = 0;
            boolean refused = false;
            while (!refused && held.size() < 200) {
                RawHttp connection = RawHttp.open(broker.server().publicPort());
                held.add(connection);
                connection.send("GET /nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                if (statusOrClosed(connection) == 404) {
                    accepted++;
                } else {
                    refused = true;
                }
            }

            assertThat(accepted).as("public connections accepted before the reserve").isPositive();
            assertThat(refused).as("a public connection refused within %s", held.size()).isTrue();
            assertThat(BrokerMeters.counter(broker, REFUSED, "listener", "public", "reason", "descriptors"))
                    .isPositive();
            assertThat(broker.get("/health").statusCode()).as("the private port answers").isEqualTo(200);
            broker.publish("\"still\"", "1");

            held.forEach(RawHttp::close);
            Await.until("public connections accepted again", Duration.ofSeconds(10), () -> {
                try (RawHttp connection = RawHttp.open(broker.server().publicPort())) {
                    connection.send("GET /nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                    return statusOrClosed(connection) == 404;
                }
            });
        } finally {
            held.forEach(RawHttp::close);
        }
    }

    /** The response's status, or -1 when the connection was closed without one. */
    private static int statusOrClosed(RawHttp connection) {
        try {
            return connection.readResponse().status();
        } catch (AssertionError closed) {
            return -1;
        }
    }
}
