package io.squall.bench.proto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.squall.bench.net.FrameDecoder;
import io.squall.bench.net.Listener;
import io.squall.bench.net.WsConnection;
import io.squall.bench.net.WsTarget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Snorky's protocol as Squall speaks it: subscribers use the public {@code pubsub} service, the publisher the
 * private backend WebSocket's {@code pubsub_backend} (with the backend key). Every request is answered, so every
 * subscription and every publication earns one ack. Channel names are plain ASCII here, so no JSON escaping is
 * needed.
 */
public final class SquallProtocol implements Protocol {
    private static final byte[] PUBLISH_HEAD = ascii(
            "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\",\"params\":{\"channel\":\"");
    private static final byte[] PUBLISH_MIDDLE = ascii("\",\"message\":\"");
    private static final byte[] PUBLISH_TAIL = ascii("\"}}}");

    @Override
    public String name() {
        return "squall";
    }

    @Override
    public WsTarget subscriberTarget(Endpoints endpoints) {
        return new WsTarget(endpoints.subscribers(), null, Map.of(), true);
    }

    @Override
    public WsTarget publisherTarget(Endpoints endpoints) {
        return new WsTarget(endpoints.publisher(), null,
                Map.of("X-Backend-Key", endpoints.backendKey().orElseThrow(
                        () -> new IllegalArgumentException("Squall's backend needs key=..."))), true);
    }

    @Override
    public FrameDecoder decoder(Listener listener) {
        return new SquallDecoder(listener);
    }

    @Override
    public int openSubscriber(WsConnection connection, List<String> channels) {
        int callId = 0;
        for (String channel : channels) {
            String frame = "{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":\""
                    + channel + "\"},\"callId\":" + callId++ + "}}";
            connection.write(connection.alloc().buffer(frame.length()).writeBytes(ascii(frame)));
        }
        return channels.size();
    }

    @Override
    public int openIdle(WsConnection connection) {
        return 0; // a WebSocket is all a Squall client needs
    }

    @Override
    public int openPublisher(WsConnection connection) {
        return 0;
    }

    @Override
    public int publish(WsConnection connection, String channel, byte[] payload) {
        connection.write(publishFrame(connection.alloc(), channel, payload));
        return 1;
    }

    private static ByteBuf publishFrame(ByteBufAllocator alloc, String channel, byte[] payload) {
        byte[] name = ascii(channel);
        ByteBuf frame = alloc.buffer(PUBLISH_HEAD.length + name.length + PUBLISH_MIDDLE.length + payload.length
                + PUBLISH_TAIL.length);
        return frame.writeBytes(PUBLISH_HEAD).writeBytes(name).writeBytes(PUBLISH_MIDDLE).writeBytes(payload)
                .writeBytes(PUBLISH_TAIL);
    }

    @Override
    public PublishUnit publishUnit(ByteBufAllocator alloc, String channel, byte[] payload, int count) {
        List<ByteBuf> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(publishFrame(alloc, channel, payload));
        }
        return new PublishUnit(frames, count);
    }

    /** The JSON array body of one backend HTTP batch of {@code count} publications. */
    public static byte[] httpBatch(String channel, byte[] payload, int count) {
        StringBuilder body = new StringBuilder(count * (payload.length + 120)).append('[');
        String message = new String(payload, StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\",\"params\":")
                    .append("{\"channel\":\"").append(channel).append("\",\"message\":\"").append(message)
                    .append("\"},\"callId\":").append(i).append("}}");
        }
        return ascii(body.append(']').toString());
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
