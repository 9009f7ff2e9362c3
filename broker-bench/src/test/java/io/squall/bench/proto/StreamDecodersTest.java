package io.squall.bench.proto;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.squall.bench.net.EmbeddedConnections;
import io.squall.bench.net.FrameDecoder;
import io.squall.bench.net.WsConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamDecodersTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final WsConnection connection = EmbeddedConnections.of(channel, false);

    @Test
    void nats_messages_are_decoded_whatever_the_frame_boundaries() {
        byte[] stream = ascii("INFO {\"server_id\":\"x\"}\r\n+OK\r\nMSG bench 1 5\r\nhello\r\nPONG\r\n"
                + "MSG g1 2 reply.to 3\r\nabc\r\nMSG bench 1 0\r\n\r\n");
        for (int split = 0; split <= stream.length; split++) {
            RecordingListener listener = new RecordingListener();
            feed(new NatsDecoder(listener), stream, split);
            assertThat(listener.payloads).as("split at %d", split).containsExactly("hello", "abc", "");
            assertThat(listener.acks).as("split at %d", split).isEqualTo(1);
        }
    }

    @Test
    void nats_ping_is_answered_with_pong() {
        RecordingListener listener = new RecordingListener();
        new NatsDecoder(listener).decode(Unpooled.wrappedBuffer(ascii("PING\r\n")), connection);
        WebSocketFrame pong = channel.readOutbound();
        assertThat(pong.content().toString(StandardCharsets.US_ASCII)).isEqualTo("PONG\r\n");
        assertThat(listener.acks).isZero();
    }

    @Test
    void nats_err_is_a_failure() {
        RecordingListener listener = new RecordingListener();
        new NatsDecoder(listener).decode(Unpooled.wrappedBuffer(ascii("-ERR 'Authorization Violation'\r\n")),
                connection);
        assertThat(listener.errors).containsExactly("-ERR 'Authorization Violation'");
    }

    @Test
    void mqtt_packets_are_decoded_whatever_the_frame_boundaries() {
        ByteBuf stream = Unpooled.buffer();
        stream.writeBytes(new byte[] {0x20, 2, 0, 0}); // CONNACK accepted
        stream.writeBytes(new byte[] {(byte) 0x90, 3, 0, 1, 0}); // SUBACK granted QoS 0
        byte[] big = new byte[300]; // a remaining length of two bytes
        java.util.Arrays.fill(big, (byte) 'x');
        publish(stream, "bench", big);
        publish(stream, "u1", ascii("hi"));
        stream.writeBytes(new byte[] {(byte) 0xd0, 0}); // PINGRESP
        byte[] bytes = new byte[stream.readableBytes()];
        stream.readBytes(bytes);
        for (int split = 0; split <= bytes.length; split++) {
            RecordingListener listener = new RecordingListener();
            feed(new MqttDecoder(listener), bytes, split);
            assertThat(listener.payloads).as("split at %d", split).containsExactly("x".repeat(300), "hi");
            assertThat(listener.acks).as("split at %d", split).isEqualTo(3);
            assertThat(listener.errors).isEmpty();
        }
    }

    @Test
    void mqtt_refused_subscription_is_a_failure() {
        RecordingListener listener = new RecordingListener();
        new MqttDecoder(listener).decode(Unpooled.wrappedBuffer(new byte[] {(byte) 0x90, 3, 0, 1, (byte) 0x80}),
                connection);
        assertThat(listener.errors).containsExactly("SUBACK failure");
    }

    @Test
    void squall_frames_are_told_apart_by_type() {
        RecordingListener listener = new RecordingListener();
        FrameDecoder decoder = new SquallProtocol().decoder(listener);
        byte[] payload = Marker.payload(40, 123, 7);
        decoder.decode(Unpooled.wrappedBuffer(ascii("{\"service\":\"pubsub\",\"message\":{\"type\":\"message\","
                + "\"channel\":\"bench\",\"message\":\"" + new String(payload, StandardCharsets.US_ASCII) + "\"}}")),
                connection);
        decoder.decode(Unpooled.wrappedBuffer(ascii("{\"service\":\"pubsub\",\"message\":{\"type\":\"response\","
                + "\"callId\":0,\"data\":null}}")), connection);
        decoder.decode(Unpooled.wrappedBuffer(ascii("{\"service\":\"pubsub\",\"message\":{\"type\":\"error\","
                + "\"callId\":0,\"message\":\"Overloaded\"}}")), connection);
        assertThat(listener.payloads).hasSize(1);
        assertThat(listener.payloads.get(0)).contains(new String(payload, StandardCharsets.US_ASCII));
        assertThat(listener.acks).isEqualTo(1);
        assertThat(listener.errors).hasSize(1).allMatch(e -> e.contains("Overloaded"));
    }

    @Test
    void marker_round_trips_time_and_step() {
        long intended = -1234567890123L; // nanoTime may be negative
        byte[] payload = Marker.payload(100, intended, 200);
        ByteBuf buf = Unpooled.wrappedBuffer(payload);
        int at = Marker.find(buf, 0, payload.length);
        assertThat(at).isZero();
        assertThat(Marker.intendedNanos(buf, at)).isEqualTo(intended);
        assertThat(Marker.step(buf, at)).isEqualTo(200);
        assertThat(payload).hasSize(100);
    }

    private void feed(FrameDecoder decoder, byte[] stream, int split) {
        for (byte[] part : List.of(java.util.Arrays.copyOfRange(stream, 0, split),
                java.util.Arrays.copyOfRange(stream, split, stream.length))) {
            ByteBuf frame = Unpooled.wrappedBuffer(part);
            decoder.decode(frame, connection);
        }
        decoder.release();
    }

    private static void publish(ByteBuf out, String topic, byte[] payload) {
        out.writeByte(0x30);
        MqttProtocol.appendLength(out, 2 + topic.length() + payload.length);
        out.writeShort(topic.length());
        out.writeBytes(ascii(topic));
        out.writeBytes(payload);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
