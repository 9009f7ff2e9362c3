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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * MQTT 3.1.1 over WebSocket (subprotocol {@code mqtt}, binary frames), the few packets the harness needs: CONNECT
 * (clean session, keep-alive off so idle connections stay silent), SUBSCRIBE at QoS 0, PUBLISH at QoS 0 and
 * PINGREQ as a barrier. CONNACK, SUBACK and PINGRESP are the acks.
 */
public final class MqttProtocol implements Protocol {
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final String clientPrefix = "bench-" + ProcessHandle.current().pid() + "-";

    @Override
    public String name() {
        return "mosquitto";
    }

    @Override
    public WsTarget subscriberTarget(Endpoints endpoints) {
        return new WsTarget(endpoints.subscribers(), "mqtt", Map.of(), false);
    }

    @Override
    public WsTarget publisherTarget(Endpoints endpoints) {
        return new WsTarget(endpoints.publisher(), "mqtt", Map.of(), false);
    }

    @Override
    public FrameDecoder decoder(Listener listener) {
        return new MqttDecoder(listener);
    }

    @Override
    public int openSubscriber(WsConnection connection, List<String> channels) {
        ByteBuf frame = connection.alloc().buffer(64 + channels.size() * 16);
        appendConnect(frame);
        if (!channels.isEmpty()) {
            int length = 2;
            for (String channel : channels) {
                length += 2 + channel.length() + 1;
            }
            frame.writeByte(0x82); // SUBSCRIBE, reserved flags 0010
            appendLength(frame, length);
            frame.writeShort(1); // packet id
            for (String channel : channels) {
                appendString(frame, channel);
                frame.writeByte(0); // QoS 0
            }
        }
        connection.write(frame);
        return channels.isEmpty() ? 1 : 2;
    }

    @Override
    public int openPublisher(WsConnection connection) {
        ByteBuf frame = connection.alloc().buffer(64);
        appendConnect(frame);
        connection.write(frame);
        return 1;
    }

    @Override
    public int publish(WsConnection connection, String channel, byte[] payload) {
        ByteBuf frame = connection.alloc().buffer(payload.length + channel.length() + 8);
        appendPublish(frame, channel, payload);
        connection.write(frame);
        return 0;
    }

    @Override
    public PublishUnit publishUnit(ByteBufAllocator alloc, String channel, byte[] payload, int count) {
        ByteBuf frame = alloc.buffer(count * (payload.length + channel.length() + 8) + 2);
        for (int i = 0; i < count; i++) {
            appendPublish(frame, channel, payload);
        }
        frame.writeByte(0xc0).writeByte(0); // PINGREQ
        return new PublishUnit(List.of(frame), 1);
    }

    private void appendConnect(ByteBuf frame) {
        String clientId = clientPrefix + CLIENTS.incrementAndGet();
        int length = 10 + 2 + clientId.length();
        frame.writeByte(0x10);
        appendLength(frame, length);
        appendString(frame, "MQTT");
        frame.writeByte(4); // protocol level 3.1.1
        frame.writeByte(0x02); // clean session
        frame.writeShort(0); // keep-alive off
        appendString(frame, clientId);
    }

    private static void appendPublish(ByteBuf frame, String channel, byte[] payload) {
        frame.writeByte(0x30); // PUBLISH, QoS 0, no retain
        appendLength(frame, 2 + channel.length() + payload.length);
        appendString(frame, channel);
        frame.writeBytes(payload);
    }

    private static void appendString(ByteBuf frame, String text) {
        frame.writeShort(text.length());
        frame.writeCharSequence(text, StandardCharsets.US_ASCII);
    }

    static void appendLength(ByteBuf frame, int length) {
        int rest = length;
        do {
            int digit = rest % 128;
            rest /= 128;
            frame.writeByte(rest > 0 ? digit | 0x80 : digit);
        } while (rest > 0);
    }
}
