package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code max.frame.bytes}: an inbound message above it closes the connection with 1009; up to it, it is served. */
class FrameLimitIT {
    private static final int LIMIT = 2048;

    private TestBroker broker;

    @BeforeEach
    void start() {
        broker = TestBroker.start("max.frame.bytes=" + LIMIT);
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        broker.close();
    }

    @Test
    void a_4_kib_text_frame_closes_the_connection_with_1009_and_others_are_unaffected() {
        try (WsTestClient bystander = broker.connect();
                WsTestClient client = broker.connect()) {
            bystander.call("pubsub", "subscribe", "{\"channel\":\"big\"}", 0);

            client.send(publishOfSize(4096, 1));

            assertThat(client.awaitClose()).isEqualTo(1009);
            assertThat(client.poll(Duration.ZERO)).as("the oversized frame was not served").isNull();
            assertThat(bystander.call("pubsub", "publish", "{\"channel\":\"big\",\"message\":\"still here\"}", 1)
                    .path("message").path("type").asText()).isEqualTo("response");
            assertThat(bystander.next().path("message").path("message").asText())
                    .as("the oversized publish never reached the bystander").isEqualTo("still here");
        }
    }

    @Test
    void a_frame_of_exactly_the_limit_is_served_and_one_byte_more_is_not() {
        try (WsTestClient client = broker.connect()) {
            client.call("pubsub", "subscribe", "{\"channel\":\"big\"}", 0);
            String atLimit = publishOfSize(LIMIT, 1);
            assertThat(atLimit.getBytes(StandardCharsets.UTF_8)).hasSize(LIMIT);

            assertThat(client.call("pubsub", "publish", paramsOf(atLimit), 1).path("message").path("type").asText())
                    .isEqualTo("response");
            assertThat(client.next().path("message").path("message").asText()).hasSize(messageLength(LIMIT));

            client.send(publishOfSize(LIMIT + 1, 2));
            assertThat(client.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void the_limit_counts_bytes_not_characters() {
        try (WsTestClient client = broker.connect()) {
            // 700 three-byte characters: 700 chars, 2100 bytes
            client.send("{\"service\":\"pubsub\",\"message\":" + "\"" + "\u20ac".repeat(700) + "\"}");

            assertThat(client.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void a_message_over_the_limit_in_small_fragments_closes_with_1009() {
        try (WsTestClient client = broker.connect()) {
            try {
                client.sendFragments(publishOfSize(4096, 1), 1024);
            } catch (CompletionException | IllegalStateException ignored) {
                // the server may close before the last fragment is out
            }

            assertThat(client.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void a_binary_frame_over_the_limit_closes_with_1009() {
        try (WsTestClient client = broker.connect()) {
            client.sendBinary(new byte[4096]);

            assertThat(client.awaitClose()).isEqualTo(1009);
        }
    }

    /** A client publish frame of exactly {@code bytes} UTF-8 bytes (ASCII only), padded in its message string. */
    private static String publishOfSize(int bytes, int callId) {
        String frame = "{\"service\":\"pubsub\",\"message\":{\"command\":\"publish\",\"params\":{\"channel\":\"big\","
                + "\"message\":\"" + "x".repeat(messageLength(bytes)) + "\"},\"callId\":" + callId + "}}";
        if (frame.length() != bytes) {
            throw new IllegalStateException("frame is " + frame.length() + " bytes, wanted " + bytes);
        }
        return frame;
    }

    private static int messageLength(int frameBytes) {
        return frameBytes - "{\"service\":\"pubsub\",\"message\":{\"command\":\"publish\",\"params\":{\"channel\":\"big\",\"message\":\"\"},\"callId\":1}}".length();
    }

    /** The params object inside a frame built by {@link #publishOfSize}. */
    private static String paramsOf(String frame) {
        int start = frame.indexOf("{\"channel\"");
        int end = frame.indexOf("},\"callId\"") + 1;
        return frame.substring(start, end);
    }
}
