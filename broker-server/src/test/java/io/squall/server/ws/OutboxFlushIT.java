package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.server.testing.BrokerMeters;
import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox and its batched flushes: thousands of frames queued to one connection whose socket is full (so the
 * broker's writes are partial and resume on write-ready) arrive intact and in order, and the bytes of each batch
 * are released once written, so a subscriber that keeps up is never mistaken for a slow one.
 */
class OutboxFlushIT {
    private static final String SLOW_CLOSED = "broker.clients.slow.closed";
    private static final int PAD_BYTES = 2_000;
    private static final int PER_REQUEST = 100;

    private TestBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.awaitNoClients();
            broker.close();
        }
    }

    @Test
    void eight_megabytes_queued_behind_a_peer_that_stopped_reading_arrive_intact_and_in_order() {
        broker = TestBroker.start("max.queued.bytes=64MiB");
        int count = 4_000; // ~8 MiB: far more than the loopback socket buffers hold, so writes go partial
        try (WsTestClient subscriber = WsTestClient.connectNotReading(broker.wsUri())) {
            subscriber.send("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\","
                    + "\"params\":{\"channel\":\"bulk\"},\"callId\":0}}");
            awaitSubscribers(1);

            publish(0, count);
            subscriber.resumeReading();

            JsonNode reply = subscriber.next();
            assertThat(reply.path("message").path("type").asText()).isEqualTo("response");
            for (int i = 0; i < count; i++) {
                assertIntact(subscriber.next(), i);
            }
            assertThat(subscriber.poll(Duration.ofMillis(200))).as("nothing after the last frame").isNull();
            assertThat(subscriber.isClosed()).isFalse();
        }
        assertThat(BrokerMeters.counter(broker, SLOW_CLOSED, "transport", "ws")).isZero();
    }

    @Test
    void a_subscriber_that_keeps_up_gets_its_bytes_back_after_every_batch_and_is_never_cut() {
        broker = TestBroker.start("max.queued.bytes=256KiB");
        try (WsTestClient subscriber = broker.connect()) {
            subscriber.call("pubsub", "subscribe", "{\"channel\":\"bulk\"}", 0);
            int seq = 0;
            // 60 bursts of ~200 KB each, under the 256 KiB limit, ~12 MB in all: had written bytes not been
            // released batch by batch, the second burst would already have passed the limit
            for (int burst = 0; burst < 60; burst++) {
                publish(seq, PER_REQUEST);
                for (int i = 0; i < PER_REQUEST; i++) {
                    assertIntact(subscriber.next(), seq + i);
                }
                seq += PER_REQUEST;
            }
            assertThat(subscriber.isClosed()).isFalse();
        }
        assertThat(BrokerMeters.counter(broker, SLOW_CLOSED, "transport", "ws")).isZero();
    }

    @Test
    void a_peer_that_stops_reading_under_many_small_frames_is_still_cut_at_the_limit() {
        broker = TestBroker.start("max.queued.bytes=256KiB");
        try (RawWebSocket slow = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            slow.sendText("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\","
                    + "\"params\":{\"channel\":\"bulk\"},\"callId\":0}}");
            awaitSubscribers(1);
            int seq = 0;
            while (BrokerMeters.counter(broker, SLOW_CLOSED, "transport", "ws") == 0) {
                assertThat(seq).as("published without the slow consumer being cut off").isLessThan(50_000);
                publish(seq, PER_REQUEST);
                seq += PER_REQUEST;
            }
            awaitSubscribers(0);
            // the server drops the socket itself, though the peer never reads
            awaitOpenConnections(0);
            // and the peer, reading again, reaches the end of the stream (or a reset) after what was in flight:
            // the 4001 close frame first if it got out before the cut
            assertThat(slow.awaitDisconnect(Duration.ofSeconds(30))).as("close code before the end of the stream")
                    .isIn(4001, -1);
        }
        assertThat(BrokerMeters.counter(broker, SLOW_CLOSED, "transport", "ws")).isEqualTo(1.0);
    }

    /** One backend request per {@value #PER_REQUEST} publications, {@code from} onwards. */
    private void publish(int from, int count) {
        for (int start = from; start < from + count; start += PER_REQUEST) {
            StringJoiner batch = new StringJoiner(",", "[", "]");
            for (int seq = start; seq < Math.min(start + PER_REQUEST, from + count); seq++) {
                batch.add("{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\",\"params\":"
                        + "{\"channel\":\"bulk\",\"message\":{\"seq\":" + seq + ",\"pad\":\"" + pad(seq) + "\"}}}}");
            }
            HttpResponse<String> response = broker.backend(batch.toString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    private static void assertIntact(JsonNode delivered, int seq) {
        JsonNode message = delivered.path("message");
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("message").path("seq").asInt()).as("delivery order").isEqualTo(seq);
        assertThat(message.path("message").path("pad").asText()).as("payload of %s", seq).isEqualTo(pad(seq));
    }

    /** A payload that differs from one message to the next, so a frame cut or spliced elsewhere shows. */
    private static String pad(int seq) {
        String digits = Integer.toString(seq);
        return (digits + "abcdefghij").repeat(PAD_BYTES / (digits.length() + 10));
    }

    private void awaitSubscribers(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (subscribers() != count) {
            assertThat(System.nanoTime() - deadline).as("%s subscribers within 30 s", count).isNegative();
            pause();
        }
    }

    private void awaitOpenConnections(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (broker.server().openConnections() != count) {
            assertThat(System.nanoTime() - deadline).as("%s open connections within 30 s", count).isNegative();
            pause();
        }
    }

    private int subscribers() {
        return broker.server().callOnLoop(() -> ((PubSubService) broker.server().publicRegistry().service("pubsub")
                .orElseThrow()).subscriberCount(TextNode.valueOf("bulk")));
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
