package io.squall.bench.proto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.squall.bench.net.FrameDecoder;
import io.squall.bench.net.Listener;
import io.squall.bench.net.WsConnection;
import io.squall.bench.net.WsTarget;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The NATS client protocol over NATS's WebSocket listener (binary frames, as nats.ws sends them). Core NATS does
 * not answer SUB or PUB, so a {@code PING} closes each unit and its {@code PONG} is the ack: the server handles
 * a connection's input in order, so the PONG means everything before it was processed.
 */
public final class NatsProtocol implements Protocol {
    private static final String CONNECT = "CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":false,"
            + "\"no_responders\":false,\"protocol\":1,\"name\":\"squall-bench\"}\r\n";

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public WsTarget subscriberTarget(Endpoints endpoints) {
        return new WsTarget(endpoints.subscribers(), null, Map.of(), false);
    }

    @Override
    public WsTarget publisherTarget(Endpoints endpoints) {
        return new WsTarget(endpoints.publisher(), null, Map.of(), false);
    }

    @Override
    public FrameDecoder decoder(Listener listener) {
        return new NatsDecoder(listener);
    }

    @Override
    public int openSubscriber(WsConnection connection, List<String> channels) {
        StringBuilder text = new StringBuilder(CONNECT);
        int sid = 1;
        for (String channel : channels) {
            text.append("SUB ").append(channel).append(' ').append(sid++).append("\r\n");
        }
        text.append("PING\r\n");
        connection.write(ascii(connection, text));
        return 1;
    }

    @Override
    public int openPublisher(WsConnection connection) {
        connection.write(ascii(connection, CONNECT + "PING\r\n"));
        return 1;
    }

    @Override
    public int publish(WsConnection connection, String channel, byte[] payload) {
        ByteBuf frame = connection.alloc().buffer(channel.length() + payload.length + 24);
        appendPub(frame, channel, payload);
        connection.write(frame);
        return 0;
    }

    @Override
    public PublishUnit publishUnit(ByteBufAllocator alloc, String channel, byte[] payload, int count) {
        ByteBuf frame = alloc.buffer(count * (channel.length() + payload.length + 24) + 8);
        for (int i = 0; i < count; i++) {
            appendPub(frame, channel, payload);
        }
        frame.writeCharSequence("PING\r\n", StandardCharsets.US_ASCII);
        return new PublishUnit(List.of(frame), 1);
    }

    private static void appendPub(ByteBuf frame, String channel, byte[] payload) {
        frame.writeCharSequence("PUB " + channel + " " + payload.length + "\r\n", StandardCharsets.US_ASCII);
        frame.writeBytes(payload).writeByte('\r').writeByte('\n');
    }

    private static ByteBuf ascii(WsConnection connection, CharSequence text) {
        ByteBuf buf = connection.alloc().buffer(text.length());
        buf.writeCharSequence(text, StandardCharsets.US_ASCII);
        return buf;
    }
}
