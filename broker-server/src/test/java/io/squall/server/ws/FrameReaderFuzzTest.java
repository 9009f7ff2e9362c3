package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.squall.core.error.CloseCode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * Fuzzes the WebSocket frame reader (corpus: FrameReaderFuzzTestInputs). The fuzzer picks a run of frames (header
 * bits, opcodes, lengths in any of the three encodings, masks, payloads, possibly followed by raw bytes) and the
 * points where the socket splits the stream. Fed whole or in those pieces, the reader reports the same events,
 * and they are the ones RFC 6455 gives (a reference model below): messages reassembled, control frames in place,
 * and the first violation closing with 1002, 1007 or 1009 and nothing read after it. It never throws, and never
 * hands over a message over its limit.
 */
class FrameReaderFuzzTest {
    private static final int LIMIT = 300;
    private static final HexFormat HEX = HexFormat.of();

    @FuzzTest
    void split_anywhere(FuzzedDataProvider data) {
        Stream stream = new Stream();
        int frames = data.consumeInt(0, 12);
        for (int i = 0; i < frames && data.remainingBytes() > 0; i++) {
            stream.frame(data);
        }
        if (data.consumeBoolean()) {
            stream.raw(data.consumeBytes(data.consumeInt(0, 40)));
        }
        TreeSet<Integer> cuts = new TreeSet<>();
        int count = data.consumeInt(0, 16);
        for (int i = 0; i < count; i++) {
            cuts.add(data.consumeInt(0, Math.max(0, stream.bytes.size())));
        }
        byte[] bytes = stream.bytes.toByteArray();

        List<String> whole = feed(bytes, new TreeSet<>());
        List<String> pieces = feed(bytes, cuts);

        assertThat(pieces).as("split at %s", cuts).isEqualTo(whole);
        if (!stream.unmodelled) {
            assertThat(whole).isEqualTo(stream.expected);
        }
        for (int i = 0; i < whole.size(); i++) {
            if (whole.get(i).startsWith("close") || whole.get(i).startsWith("fail")) {
                assertThat(i).as("nothing after the end: %s", whole).isEqualTo(whole.size() - 1);
            }
        }
    }

    /** Feeds {@code bytes} cut at {@code cuts}, through a shared buffer as the IO thread's reads do. */
    private static List<String> feed(byte[] bytes, TreeSet<Integer> cuts) {
        Recorder sink = new Recorder();
        FrameReader reader = new FrameReader(LIMIT, sink);
        int from = 0;
        boolean open = true;
        List<Integer> ends = new ArrayList<>(cuts);
        ends.add(bytes.length);
        for (int end : ends) {
            ByteBuffer piece = ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, end));
            if (open) {
                open = reader.feed(piece);
                if (open) {
                    assertThat(piece.hasRemaining()).as("an open reader consumes every byte").isFalse();
                }
            }
            from = end;
        }
        return sink.events;
    }

    private static final class Recorder implements FrameReader.Sink {
        final List<String> events = new ArrayList<>();

        @Override
        public void text(byte[] utf8) {
            assertThat(utf8.length).isLessThanOrEqualTo(LIMIT);
            events.add("text " + HEX.formatHex(utf8));
        }

        @Override
        public void binary() {
            events.add("binary");
        }

        @Override
        public void ping(byte[] payload) {
            assertThat(payload.length).isLessThanOrEqualTo(125);
            events.add("ping " + HEX.formatHex(payload));
        }

        @Override
        public void pong() {
            events.add("pong");
        }

        @Override
        public void close(int code, String reason) {
            events.add("close " + code + " " + reason);
        }

        @Override
        public void fail(CloseCode reason, String detail) {
            assertThat(reason).isIn(CloseCode.PROTOCOL_ERROR, CloseCode.INVALID_PAYLOAD,
                    CloseCode.MESSAGE_TOO_BIG);
            events.add("fail " + reason.code());
        }
    }

    /** The bytes of the frames chosen, and what RFC 6455 says a server makes of them. */
    private static final class Stream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> expected = new ArrayList<>();
        boolean unmodelled; // raw bytes appended after the frames
        private boolean ended;
        private int messageOpcode = -1;
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();

        void raw(byte[] more) {
            bytes.writeBytes(more);
            unmodelled |= !ended && more.length > 0;
        }

        void frame(FuzzedDataProvider data) {
            boolean fin = data.consumeBoolean();
            int rsv = data.consumeProbabilityDouble() < 0.05 ? data.consumeInt(1, 7) : 0;
            int opcode = data.consumeProbabilityDouble() < 0.9
                    ? new int[] {0x0, 0x1, 0x2, 0x8, 0x9, 0xA}[data.consumeInt(0, 5)]
                    : data.consumeInt(0, 15);
            boolean masked = data.consumeProbabilityDouble() < 0.97;
            byte[] payload = data.consumeBytes(data.consumeInt(0, 400));
            int lengthForm = data.consumeInt(0, 2); // the shortest form or a longer one: both are valid
            int mask = data.consumeInt();
            bytes.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
            int maskBit = masked ? 0x80 : 0;
            if (payload.length < 126 && lengthForm == 0) {
                bytes.write(maskBit | payload.length);
            } else if (payload.length < 65536 && lengthForm < 2) {
                bytes.write(maskBit | 126);
                bytes.write(payload.length >> 8);
                bytes.write(payload.length);
            } else {
                bytes.write(maskBit | 127);
                bytes.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
            }
            byte[] key = ByteBuffer.allocate(4).putInt(mask).array();
            if (masked) {
                bytes.writeBytes(key);
            }
            for (int i = 0; i < payload.length; i++) {
                bytes.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
            }
            if (!ended) {
                expect(fin, rsv, opcode, masked, payload);
            }
        }

        private void expect(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
            if (rsv != 0 || !masked) {
                fail(1002);
                return;
            }
            switch (opcode) {
                case 0x8, 0x9, 0xA -> {
                    if (!fin || payload.length > 125) {
                        fail(1002);
                    } else if (opcode == 0x9) {
                        expected.add("ping " + HEX.formatHex(payload));
                    } else if (opcode == 0xA) {
                        expected.add("pong");
                    } else {
                        close(payload);
                    }
                }
                case 0x0, 0x1, 0x2 -> data(fin, opcode, payload);
                default -> fail(1002);
            }
        }

        private void data(boolean fin, int opcode, byte[] payload) {
            if (opcode == 0 ? messageOpcode < 0 : messageOpcode >= 0) {
                fail(1002);
                return;
            }
            if (message.size() + payload.length > LIMIT) {
                fail(1009);
                return;
            }
            if (opcode != 0) {
                messageOpcode = opcode;
            }
            message.writeBytes(payload);
            if (!fin) {
                return;
            }
            byte[] whole = message.toByteArray();
            message.reset();
            int kind = messageOpcode;
            messageOpcode = -1;
            if (kind == 0x2) {
                expected.add("binary");
            } else if (utf8(whole) == null) {
                fail(1007);
            } else {
                expected.add("text " + HEX.formatHex(whole));
            }
        }

        private void close(byte[] payload) {
            ended = true;
            if (payload.length == 0) {
                expected.add("close 1005 ");
                return;
            }
            int code = payload.length < 2 ? -1 : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
            boolean valid = code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014
                    || code >= 3000 && code <= 4999;
            String reason = utf8(Arrays.copyOfRange(payload, Math.min(2, payload.length), payload.length));
            if (!valid) {
                expected.add("fail 1002");
            } else if (reason == null) {
                expected.add("fail 1007");
            } else {
                expected.add("close " + code + " " + reason);
            }
        }

        private void fail(int code) {
            ended = true;
            expected.add("fail " + code);
        }

        /** Strict UTF-8 (no surrogates, no overlong forms), as the JDK's decoder checks it; null when invalid. */
        private static String utf8(byte[] bytes) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }
    }
}
