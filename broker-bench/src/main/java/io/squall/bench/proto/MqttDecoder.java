package io.squall.bench.proto;

import io.netty.buffer.ByteBuf;
import io.squall.bench.net.Listener;
import io.squall.bench.net.WsConnection;

/** MQTT packets from the broker: PUBLISH (a delivery), CONNACK, SUBACK and PINGRESP (acks, or failures). */
final class MqttDecoder extends StreamDecoder {
    private static final int CONNACK = 2;
    private static final int PUBLISH = 3;
    private static final int SUBACK = 9;
    private static final int PINGRESP = 13;

    private final Listener listener;

    MqttDecoder(Listener listener) {
        this.listener = listener;
    }

    @Override
    protected boolean next(ByteBuf in, WsConnection connection) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (end - start < 2) {
            return false;
        }
        int header = in.getUnsignedByte(start);
        int length = 0;
        int multiplier = 1;
        int at = start + 1;
        while (true) {
            if (at >= end) {
                return false;
            }
            int digit = in.getUnsignedByte(at++);
            length += (digit & 0x7f) * multiplier;
            if ((digit & 0x80) == 0) {
                break;
            }
            multiplier *= 128;
            if (multiplier > 128 * 128 * 128) {
                listener.failed(connection, "malformed MQTT remaining length");
                connection.close();
                in.readerIndex(end);
                return false;
            }
        }
        if (end - at < length) {
            return false;
        }
        switch (header >> 4) {
            case PUBLISH -> {
                int qos = (header >> 1) & 3;
                int payload = at + 2 + in.getUnsignedShort(at) + (qos > 0 ? 2 : 0);
                listener.delivered(in, payload, at + length);
            }
            case CONNACK -> ack(connection, in.getUnsignedByte(at + 1) == 0, "CONNACK refused");
            case SUBACK -> ack(connection, in.indexOf(at + 2, at + length, (byte) 0x80) < 0, "SUBACK failure");
            case PINGRESP -> listener.acked(connection);
            default -> {
                // nothing else is expected at QoS 0; ignore it
            }
        }
        in.readerIndex(at + length);
        return true;
    }

    private void ack(WsConnection connection, boolean ok, String failure) {
        if (ok) {
            listener.acked(connection);
        } else {
            listener.failed(connection, failure);
        }
    }
}
