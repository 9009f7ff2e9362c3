package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests and a close frame in one TCP read: the replies to everything sent before the close go out before the
 * server's close frame. The close was once answered first and the replies dropped.
 */
class CloseAfterRepliesIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestBroker broker;

    @BeforeEach
    void start() {
        broker = TestBroker.start();
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        broker.close();
    }

    @Test
    void a_request_and_a_close_in_one_write_get_the_reply_then_the_close() {
        try (RawWebSocket ws = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            ws.sendRaw(concat(subscribe(7), RawWebSocket.encode(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xE8})));

            assertThat(framesUntilClosed(ws)).containsExactly(reply(7), "close 1000");
        }
    }

    @Test
    void many_requests_and_a_close_in_one_write_get_every_reply_in_order_then_the_close() {
        try (RawWebSocket ws = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            ByteArrayOutputStream write = new ByteArrayOutputStream();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) { // more than one loop task's batch
                write.writeBytes(subscribe(i));
                expected.add(reply(i));
            }
            write.writeBytes(RawWebSocket.encode(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xE9}));
            expected.add("close 1001");

            ws.sendRaw(write.toByteArray());

            assertThat(framesUntilClosed(ws)).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void a_request_followed_by_a_broken_frame_gets_its_reply_before_the_protocol_error() {
        try (RawWebSocket ws = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            ws.sendRaw(concat(subscribe(3), new byte[] {(byte) 0x81, 2, 'h', 'i'})); // unmasked

            assertThat(framesUntilClosed(ws)).containsExactly(reply(3), "close 1002");
        }
    }

    /** Each subscribe is to its own channel, so every one is answered with a plain response. */
    private static byte[] subscribe(int callId) {
        String text = "{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":\"c" + callId
                + "\"},\"callId\":" + callId + "}}";
        return RawWebSocket.encode(RawWebSocket.TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String reply(int callId) {
        return "{\"service\":\"pubsub\",\"message\":{\"type\":\"response\",\"callId\":" + callId + ",\"data\":null}}";
    }

    /** Texts as they are and close frames as "close CODE", up to the end of the stream. */
    private static List<String> framesUntilClosed(RawWebSocket ws) {
        List<String> frames = new ArrayList<>();
        while (true) {
            RawWebSocket.Frame frame = ws.readFrame(WAIT);
            if (frame == null) {
                return frames;
            }
            if (frame.opcode() == RawWebSocket.CLOSE) {
                frames.add("close " + frame.closeCode());
            } else if (frame.opcode() != RawWebSocket.PING) {
                frames.add(frame.text());
            }
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(first);
        both.writeBytes(second);
        return both.toByteArray();
    }
}
