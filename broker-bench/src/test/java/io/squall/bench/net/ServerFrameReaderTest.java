package io.squall.bench.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.squall.bench.proto.MqttProtocol;
import io.squall.bench.proto.NatsProtocol;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerFrameReaderTest {
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final List<String> payloads = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> delivered = new ArrayList<>();
    private final List<Throwable> exceptions = new ArrayList<>();

    @Test
    void everyFrameKindSurvivesASplitAtEveryByte() {
        byte[] stream = concat(frame(true, TEXT, ascii("small")), frame(true, TEXT, repeat('m', 300)),
                frame(false, TEXT, ascii("frag-")), frame(true, PING, ascii("are you there")),
                frame(false, CONTINUATION, ascii("ment-")), frame(true, PONG, new byte[0]),
                frame(true, CONTINUATION, ascii("ed")), frame(true, BINARY, ascii("bin")),
                frame(true, TEXT, new byte[0]));
        for (int split = 0; split <= stream.length; split++) {
            payloads.clear();
            EmbeddedChannel channel = channel(recordingDecoder());
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, 0, split)));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, split, stream.length)));
            assertThat(payloads).as("split at %d", split)
                    .containsExactly("small", "m".repeat(300), "frag-ment-ed", "bin", "");
            assertThat(pongs(channel)).as("split at %d", split).containsExactly("are you there");
            assertThat(exceptions).isEmpty();
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void oneByteAtATime() {
        byte[] stream = concat(frame(true, TEXT, repeat('a', 70_000)), frame(true, TEXT, ascii("next")));
        EmbeddedChannel channel = channel(recordingDecoder());
        for (byte b : stream) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(payloads).containsExactly("a".repeat(70_000), "next");
    }

    @Test
    void sevenSixteenAndSixtyFourBitLengths() {
        EmbeddedChannel channel = channel(recordingDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(concat(frame(true, TEXT, repeat('s', 125)),
                frame(true, TEXT, repeat('m', 126)), frame(true, TEXT, repeat('m', 65_535)),
                frame(true, TEXT, repeat('l', 65_536)), frame(true, TEXT, repeat('l', 200_000)))));
        assertThat(payloads).extracting(String::length).containsExactly(125, 126, 65_535, 65_536, 200_000);
        assertThat(payloads.get(4)).isEqualTo("l".repeat(200_000));
    }

    @Test
    void closeWithCodeAndReasonIsReportedAnsweredAndCloses() {
        EmbeddedChannel channel = channel(recordingDecoder());
        byte[] body = concat(new byte[] {0x03, (byte) 0xE9}, ascii("going away"));
        channel.writeInbound(Unpooled.wrappedBuffer(concat(frame(true, CLOSE, body), frame(true, TEXT, ascii("x")))));
        assertThat(failures).containsExactly("closed by the broker: 1001 going away");
        assertThat(payloads).isEmpty();
        ByteBuf answer = channel.readOutbound();
        assertThat((int) answer.getUnsignedByte(0)).isEqualTo(0x88);
        assertThat(answer.getUnsignedByte(1) & 0x80).as("masked").isEqualTo(0x80);
        answer.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void reservedBitsFailTheConnection() {
        byte[] bad = frame(true, TEXT, ascii("x"));
        bad[0] |= 0x40;
        assertFails(bad);
    }

    @Test
    void unknownOpcodeFailsTheConnection() {
        assertFails(frame(true, 0x3, ascii("x")));
        assertFails(frame(true, 0xB, new byte[0]));
    }

    @Test
    void maskedFramesStrayContinuationsAndSplitControlFramesFailTheConnection() {
        byte[] masked = frame(true, TEXT, new byte[0]);
        masked[1] |= (byte) 0x80;
        assertFails(masked);
        assertFails(frame(true, CONTINUATION, ascii("x")));
        assertFails(frame(false, PING, ascii("x")));
        assertFails(concat(frame(false, TEXT, ascii("a")), frame(true, TEXT, ascii("b"))));
        assertFails(frame(true, CLOSE, new byte[] {0x03}));
    }

    @Test
    void oversizedFrameFailsTheConnectionBeforeItsPayloadArrives() {
        byte[] header = {(byte) 0x81, 127, 0, 0, 0, 0, 0x7f, 0, 0, 0};
        assertFails(header);
    }

    @Test
    void streamDecoderSeesMessagesSpanningFramesAndReads() {
        FrameDecoder nats = new NatsProtocol().decoder(listener());
        EmbeddedChannel channel = channel(nats);
        byte[] stream = concat(frame(true, BINARY, ascii("MSG s 1 5\r\nhel")),
                frame(true, BINARY, ascii("lo\r\nMSG s 1 3\r\nabc\r\nMSG s 1 2\r\n")), frame(true, BINARY, ascii("zz\r\n")));
        for (int split = 0; split <= stream.length; split++) {
            delivered.clear();
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, 0, split)));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, split, stream.length)));
            assertThat(delivered).as("split at %d", split).containsExactly("hello", "abc", "zz");
        }
    }

    @Test
    void mqttPublishesSplitAcrossFragmentsFramesAndReads() {
        FrameDecoder mqtt = new MqttProtocol().decoder(listener());
        EmbeddedChannel channel = channel(mqtt);
        byte[] packets = concat(publish("t", "first"), publish("topic", "second"), publish("t", "x".repeat(200)));
        byte[] stream = concat(frame(true, BINARY, Arrays.copyOfRange(packets, 0, 5)),
                frame(false, BINARY, Arrays.copyOfRange(packets, 5, 20)),
                frame(true, CONTINUATION, Arrays.copyOfRange(packets, 20, 30)),
                frame(true, BINARY, Arrays.copyOfRange(packets, 30, packets.length)));
        for (int split = 0; split <= stream.length; split++) {
            delivered.clear();
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, 0, split)));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, split, stream.length)));
            assertThat(delivered).as("split at %d", split).containsExactly("first", "second", "x".repeat(200));
        }
    }

    /** An MQTT PUBLISH at QoS 0 (remaining length below 16 k). */
    private static byte[] publish(String topic, String payload) {
        byte[] body = concat(new byte[] {0, (byte) topic.length()}, ascii(topic), ascii(payload));
        byte[] length = body.length < 128 ? new byte[] {(byte) body.length}
                : new byte[] {(byte) (0x80 | body.length & 0x7f), (byte) (body.length >>> 7)};
        return concat(new byte[] {0x30}, length, body);
    }

    private void assertFails(byte[] stream) {
        exceptions.clear();
        payloads.clear();
        EmbeddedChannel channel = channel(recordingDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(concat(stream, frame(true, TEXT, ascii("after")))));
        assertThat(exceptions).hasSize(1).first().isInstanceOf(CorruptedWebSocketFrameException.class);
        assertThat(payloads).as("nothing is read past the error").doesNotContain("after");
        assertThat(channel.isOpen()).isFalse();
    }

    private EmbeddedChannel channel(FrameDecoder decoder) {
        EmbeddedChannel channel = new EmbeddedChannel();
        WsConnection connection = new WsConnection(channel, true, 0);
        channel.pipeline().addLast(new WebSocket08FrameEncoder(true),
                new ServerFrameReader(decoder, listener(), connection, 1 << 20),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        exceptions.add(cause);
                        ctx.close();
                    }
                });
        return channel;
    }

    /** Records each payload; exactly one call per complete message. */
    private FrameDecoder recordingDecoder() {
        return (frame, connection) -> payloads.add(frame.toString(StandardCharsets.ISO_8859_1));
    }

    private Listener listener() {
        return new Listener() {
            @Override
            public void delivered(ByteBuf buf, int from, int to) {
                delivered.add(buf.toString(from, to - from, StandardCharsets.US_ASCII));
            }

            @Override
            public void acked(WsConnection connection) {}

            @Override
            public void failed(WsConnection connection, String error) {
                failures.add(error);
            }

            @Override
            public void closed(WsConnection connection) {}
        };
    }

    /** The PONG frames written so far, unmasked. */
    private static List<String> pongs(EmbeddedChannel channel) {
        List<String> pongs = new ArrayList<>();
        for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            assertThat((int) out.getUnsignedByte(0)).isEqualTo(0x80 | PONG);
            assertThat(out.getUnsignedByte(1) & 0x80).as("a client masks its frames").isEqualTo(0x80);
            int length = out.getUnsignedByte(1) & 0x7F;
            byte[] payload = new byte[length];
            for (int i = 0; i < length; i++) {
                payload[i] = (byte) (out.getByte(6 + i) ^ out.getByte(2 + i % 4));
            }
            pongs.add(new String(payload, StandardCharsets.US_ASCII));
            out.release();
        }
        return pongs;
    }

    /** A server frame (unmasked) with the shortest length encoding. */
    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(payload.length);
        } else if (payload.length < 65_536) {
            out.write(126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        } else {
            out.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] repeat(char c, int count) {
        return ascii(String.valueOf(c).repeat(count));
    }
}
