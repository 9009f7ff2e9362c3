package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.json.Json;
import io.squall.core.loop.EventLoop;
import io.squall.core.loop.LoopOverloadedException;
import io.squall.server.testing.BrokerMeters;
import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Frames decoded from one socket read reach the loop as one task (README, threading contract): they must still be
 * handled in arrival order, answered exactly once each, and all answered {@code Overloaded} when the loop is full.
 */
class InboundBatchIT {
    /** more than one batch's worth, so a read is split into several tasks too */
    private static final int COUNT = WsReadListener.MAX_BATCH * 3 + 7;

    private TestBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void frames_written_at_once_are_answered_once_each_in_order_with_rejected_frames_in_place() {
        broker = TestBroker.start();
        try (RawWebSocket socket = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            List<String> frames = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                // every fifth frame is malformed: its error reply must keep its place among the responses
                frames.add(i % 5 == 4 ? "{\"service\":\"pubsub\",\"message\":" + i
                        : "{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\","
                        + "\"params\":{\"channel\":\"c" + i + "\"},\"callId\":" + i + "}}");
            }
            socket.sendTexts(frames);

            for (int i = 0; i < COUNT; i++) {
                JsonNode reply = parse(socket.nextText());
                if (i % 5 == 4) {
                    assertThat(reply.path("message").path("message").asText()).as("reply %s", i)
                            .isEqualTo("Invalid JSON");
                } else {
                    // a response, or an error once the per-connection subscription limit is reached: either way
                    // the answer to call i, and only once
                    assertThat(reply.path("message").path("callId").asInt()).as("reply order").isEqualTo(i);
                }
            }
            // exactly once: the next frame is the answer to a call sent after all of them, not a duplicate
            socket.sendText("{\"service\":\"pubsub\",\"message\":{\"command\":\"unsubscribe\","
                    + "\"params\":{\"channel\":\"c0\"},\"callId\":\"last\"}}");
            assertThat(parse(socket.nextText()).path("message").path("callId").asText()).isEqualTo("last");
        }
        broker.awaitNoClients();
    }

    @Test
    void every_frame_of_a_batch_the_full_loop_cannot_take_is_answered_overloaded_in_order() throws Exception {
        broker = TestBroker.start("loop.queue.capacity=16");
        try (RawWebSocket socket = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            // the connection is registered before the loop is blocked, so only the frames meet the full queue
            socket.sendText("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\","
                    + "\"params\":{\"channel\":\"ready\"},\"callId\":\"ready\"}}");
            assertThat(parse(socket.nextText()).path("message").path("callId").asText()).isEqualTo("ready");
            double before = BrokerMeters.counter(broker, "broker.frames.overloaded", "transport", "ws");
            CountDownLatch blocked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            EventLoop loop = broker.server().context().loop();
            loop.execute(() -> {
                blocked.countDown();
                await(release);
            });
            try {
                // fill only once the loop holds the blocking task, or taking it would free a slot for a frame
                await(blocked);
                fill(loop);
                List<String> frames = new ArrayList<>();
                for (int i = 0; i < COUNT; i++) {
                    frames.add("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\","
                            + "\"params\":{\"channel\":\"o" + i + "\"},\"callId\":" + i + "}}");
                }
                socket.sendTexts(frames);

                for (int i = 0; i < COUNT; i++) {
                    JsonNode reply = parse(socket.nextText());
                    assertThat(reply.path("service").asText()).isEqualTo("pubsub");
                    assertThat(reply.path("message").path("message").asText()).isEqualTo("Overloaded");
                    assertThat(reply.path("message").path("callId").asInt()).as("reply order").isEqualTo(i);
                }
            } finally {
                release.countDown();
            }
            assertThat(BrokerMeters.counter(broker, "broker.frames.overloaded", "transport", "ws") - before)
                    .isEqualTo(COUNT);
            // none of the refused frames ran: the next reply is to this call, and nothing came in between
            socket.sendText("{\"service\":\"pubsub\",\"message\":{\"command\":\"unsubscribe\","
                    + "\"params\":{\"channel\":\"ready\"},\"callId\":\"after\"}}");
            assertThat(parse(socket.nextText()).path("message").path("callId").asText()).isEqualTo("after");
        }
        broker.awaitNoClients();
    }

    @Test
    void text_frames_parsed_from_bytes_keep_multibyte_utf8_and_invalid_utf8_never_reaches_a_service() {
        broker = TestBroker.start();
        try (RawWebSocket socket = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            socket.sendText("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\","
                    + "\"params\":{\"channel\":\"\u00f1\"},\"callId\":\"\u00f1\u20ac\ud83d\ude00\"}}");
            assertThat(parse(socket.nextText()).path("message").path("callId").asText())
                    .isEqualTo("\u00f1\u20ac\ud83d\ude00");

            byte[] invalid = "{\"service\":\"pubsub\",\"message\":\"?\"}".getBytes(StandardCharsets.UTF_8);
            invalid[invalid.length - 4] = (byte) 0xC3; // a lead byte followed by an ASCII quote: not UTF-8
            socket.sendFrame(RawWebSocket.TEXT, true, invalid);
            RawWebSocket.Frame answer = socket.readFrame(Duration.ofSeconds(30));
            // Undertow's own UTF-8 check still runs on the byte path: the connection is closed 1007, nothing routed
            assertThat(answer).isNotNull();
            assertThat(answer.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(answer.closeCode()).isEqualTo(1007);
        }
        broker.awaitNoClients();
    }

    private static void fill(EventLoop loop) {
        for (int i = 0; i < 1_000; i++) {
            try {
                loop.execute(() -> { });
            } catch (LoopOverloadedException full) {
                return;
            }
        }
        throw new AssertionError("the loop queue never filled");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not reached in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode parse(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
