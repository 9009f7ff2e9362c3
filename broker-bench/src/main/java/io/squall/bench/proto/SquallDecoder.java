package io.squall.bench.proto;

import io.netty.buffer.ByteBuf;
import io.squall.bench.net.FrameDecoder;
import io.squall.bench.net.Listener;
import io.squall.bench.net.WsConnection;
import java.nio.charset.StandardCharsets;

/**
 * Squall sends one JSON envelope per frame: {@code "type":"message"} is a publication (its stamp is the first
 * {@code #} after the type), {@code "response"} an ack and {@code "error"} a failure. Only the type is looked at,
 * so the generator spends no time parsing JSON it does not need.
 */
final class SquallDecoder implements FrameDecoder {
    private static final byte[] TYPE = "\"type\":\"".getBytes(StandardCharsets.US_ASCII);

    private final Listener listener;

    SquallDecoder(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void decode(ByteBuf frame, WsConnection connection) {
        int from = frame.readerIndex();
        int to = frame.writerIndex();
        int type = indexOf(frame, from, to, TYPE);
        if (type < 0 || type + TYPE.length >= to) {
            listener.failed(connection, "unexpected frame: " + frame.toString(StandardCharsets.UTF_8));
            return;
        }
        switch (frame.getByte(type + TYPE.length)) {
            case 'm' -> listener.delivered(frame, type + TYPE.length, to);
            case 'r' -> listener.acked(connection);
            default -> listener.failed(connection, frame.toString(StandardCharsets.UTF_8));
        }
    }

    static int indexOf(ByteBuf buf, int from, int to, byte[] needle) {
        int last = to - needle.length;
        for (int at = buf.indexOf(from, to, needle[0]); at >= 0 && at <= last;
                at = buf.indexOf(at + 1, to, needle[0])) {
            int i = 1;
            while (i < needle.length && buf.getByte(at + i) == needle[i]) {
                i++;
            }
            if (i == needle.length) {
                return at;
            }
        }
        return -1;
    }
}
