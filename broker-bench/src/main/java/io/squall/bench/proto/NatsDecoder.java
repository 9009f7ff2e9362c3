package io.squall.bench.proto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.squall.bench.net.Listener;
import io.squall.bench.net.WsConnection;
import java.nio.charset.StandardCharsets;

/**
 * NATS server-to-client messages: {@code MSG <subject> <sid> [reply] <size>\r\n<payload>\r\n}, {@code PING}
 * (answered with PONG at once, or the server drops us), {@code PONG} (an ack), {@code +OK}, {@code -ERR} and
 * {@code INFO}. The server packs many MSGs into one frame, and one MSG may span frames.
 */
final class NatsDecoder extends StreamDecoder {
    private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Listener listener;

    NatsDecoder(Listener listener) {
        this.listener = listener;
    }

    @Override
    protected boolean next(ByteBuf in, WsConnection connection) {
        int start = in.readerIndex();
        int newline = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (newline < 0) {
            return false;
        }
        int lineEnd = newline > start && in.getByte(newline - 1) == '\r' ? newline - 1 : newline;
        byte first = in.getByte(start);
        if (first == 'M') {
            int size = trailingNumber(in, start, lineEnd);
            int payloadStart = newline + 1;
            if (in.writerIndex() < payloadStart + size + 2) {
                return false;
            }
            listener.delivered(in, payloadStart, payloadStart + size);
            in.readerIndex(payloadStart + size + 2);
            return true;
        }
        if (first == 'P' && lineEnd - start >= 4) {
            if (in.getByte(start + 1) == 'I') {
                connection.send(Unpooled.wrappedBuffer(PONG));
            } else {
                listener.acked(connection);
            }
        } else if (first == '-') {
            listener.failed(connection, in.toString(start, lineEnd - start, StandardCharsets.US_ASCII));
        }
        in.readerIndex(newline + 1);
        return true;
    }

    private static int trailingNumber(ByteBuf in, int start, int lineEnd) {
        int at = lineEnd - 1;
        int value = 0;
        int scale = 1;
        while (at > start) {
            byte b = in.getByte(at);
            if (b < '0' || b > '9') {
                break;
            }
            value += (b - '0') * scale;
            scale *= 10;
            at--;
        }
        return value;
    }
}
