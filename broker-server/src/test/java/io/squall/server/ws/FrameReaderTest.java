package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.error.CloseCode;
import io.squall.server.testing.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameReaderTest {
    private static final int LIMIT = 100_000;
    private final List<String> events = new ArrayList<>();
    private final FrameReader.Sink sink = new FrameReader.Sink() {
        @Override
        public void text(byte[] utf8) {
            events.add("text:" + new String(utf8, StandardCharsets.UTF_8));
        }

        @Override
        public void binary() {
            events.add("binary");
        }

        @Override
        public void ping(byte[] payload) {
            events.add("ping:" + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void pong() {
            events.add("pong");
        }

        @Override
        public void close(int code, String reason) {
            events.add("close:" + code + ":" + reason);
        }

        @Override
        public void fail(CloseCode reason, String detail) {
            events.add("fail:" + reason.code());
        }
    };
    private final FrameReader reader = new FrameReader(LIMIT, sink);

    @Test
    void a_stream_of_frames_split_at_every_byte_boundary_gives_the_same_messages() {
        byte[] stream = concat(
                frame(0x1, true, "hello"),
                frame(0x1, false, "frag"),
                frame(0x9, true, "in-between"),
                frame(0x0, false, "men"),
                frame(0x0, true, "ted"),
                frame(0x2, true, "bin"),
                frame(0xA, true, ""),
                frame(0x1, true, "x".repeat(300)),
                frame(0x1, true, "é€𝄞"),
                frame(0x1, true, ""));
        List<String> expected = List.of("text:hello", "ping:in-between", "text:fragmented", "binary", "pong",
                "text:" + "x".repeat(300), "text:é€𝄞", "text:");
        for (int split = 1; split < stream.length; split++) {
            events.clear();
            FrameReader fresh = copyOfReader();
            assertThat(fresh.feed(ByteBuffer.wrap(stream, 0, split))).isTrue();
            assertThat(fresh.feed(ByteBuffer.wrap(stream, split, stream.length - split))).isTrue();
            assertThat(events).as("split at %d", split).isEqualTo(expected);
        }
        events.clear();
        FrameReader byteByByte = copyOfReader();
        for (byte b : stream) {
            byteByByte.feed(ByteBuffer.wrap(new byte[] {b}));
        }
        assertThat(events).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 65_535, 65_536, 99_999})
    void seven_sixteen_and_sixty_four_bit_lengths(int size) {
        String text = "a".repeat(size);
        assertThat(reader.feed(ByteBuffer.wrap(frame(0x1, true, text)))).isTrue();
        assertThat(events).containsExactly("text:" + text);
    }

    @Test
    void a_close_frame_gives_its_code_and_reason_and_ends_reading() {
        byte[] close = concat(new byte[] {0x03, (byte) 0xE8}, "bye".getBytes(StandardCharsets.UTF_8));
        assertThat(reader.feed(ByteBuffer.wrap(concat(frame(0x8, true, close), frame(0x1, true, "late")))))
                .isFalse();
        assertThat(events).containsExactly("close:1000:bye");
    }

    @Test
    void an_empty_close_frame_means_no_status() {
        reader.feed(ByteBuffer.wrap(frame(0x8, true, new byte[0])));
        assertThat(events).containsExactly("close:1005:");
    }

    @Test
    void protocol_errors_fail_with_1002() {
        assertFails(unmasked(0x81, "hi"), 1002);
        assertFails(frame(0x1 | 0x40, true, "rsv"), 1002); // RSV1 without an extension
        assertFails(frame(0x3, true, "op"), 1002); // reserved opcode
        assertFails(frame(0x0, true, "cont"), 1002); // continuation without a message
        assertFails(concat(frame(0x1, false, "a"), frame(0x1, true, "b")), 1002); // new message mid-fragment
        assertFails(frame(0x9, false, "ping"), 1002); // fragmented control frame
        assertFails(frame(0x9, true, "p".repeat(126)), 1002); // control frame over 125 bytes
        assertFails(frame(0x8, true, new byte[] {0x03}), 1002); // one-byte close payload
        assertFails(frame(0x8, true, new byte[] {0x03, (byte) 0xED}), 1002); // close code 1005 is reserved
        assertFails(frame(0x8, true, new byte[] {0x00, 0x10}), 1002); // close code 16
    }

    @Test
    void text_that_is_not_utf8_fails_with_1007() {
        assertFails(frame(0x1, true, new byte[] {'a', (byte) 0xC0, (byte) 0x80}), 1007); // overlong NUL
        assertFails(frame(0x1, true, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), 1007); // surrogate
        assertFails(frame(0x8, true, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF}), 1007); // close reason
    }

    @Test
    void a_message_over_the_limit_fails_with_1009_whole_or_in_fragments() {
        assertFails(frame(0x1, true, "a".repeat(LIMIT + 1)), 1009);
        byte[] half = "a".repeat(LIMIT / 2 + 1).getBytes(StandardCharsets.UTF_8);
        assertFails(concat(frame(0x1, false, half), frame(0x0, true, half)), 1009);
        assertFails(frame(0x2, true, new byte[LIMIT + 1]), 1009);
        // a binary message's bytes are skipped, not kept, but its fragments count as a text message's do (found by
        // FrameReaderFuzzTest: they used to go unchecked)
        assertFails(concat(frame(0x2, false, half), frame(0x0, true, half)), 1009);
        byte[] huge = {(byte) 0x81, (byte) 0xFF, 0x7F, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}; // 2^63-ish length
        assertFails(huge, 1009);
    }

    @Test
    void nothing_after_a_failure_is_delivered() {
        reader.feed(ByteBuffer.wrap(concat(unmasked(0x81, "bad"), frame(0x1, true, "after"))));
        assertThat(reader.feed(ByteBuffer.wrap(frame(0x1, true, "later")))).isFalse();
        assertThat(events).containsExactly("fail:1002");
    }

    private void assertFails(byte[] bytes, int code) {
        events.clear();
        FrameReader fresh = copyOfReader();
        assertThat(fresh.feed(ByteBuffer.wrap(bytes))).isFalse();
        assertThat(events).containsExactly("fail:" + code);
    }

    private FrameReader copyOfReader() {
        return new FrameReader(LIMIT, sink);
    }

    static byte[] frame(int opcode, boolean fin, String text) {
        return frame(opcode, fin, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A masked client frame. */
    static byte[] frame(int opcode, boolean fin, byte[] payload) {
        return RawWebSocket.encode(opcode, fin, payload);
    }

    private static byte[] unmasked(int first, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return concat(new byte[] {(byte) first, (byte) payload.length}, payload);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }
}
