package io.squall.bench.proto;

import io.netty.buffer.ByteBuf;
import io.squall.bench.net.FrameDecoder;
import io.squall.bench.net.WsConnection;

/**
 * Base of the decoders for stream protocols (NATS, MQTT) whose messages may span WebSocket frames or share one:
 * complete messages are read straight from the frame, and only a trailing partial one is copied and kept.
 */
abstract class StreamDecoder implements FrameDecoder {
    private ByteBuf partial;

    @Override
    public final void decode(ByteBuf frame, WsConnection connection) {
        ByteBuf in = frame;
        if (partial != null) {
            partial.writeBytes(frame);
            in = partial;
        }
        while (in.isReadable() && next(in, connection)) {
            // each call consumed one message
        }
        if (!in.isReadable()) {
            release();
        } else if (partial == null) {
            partial = connection.alloc().heapBuffer(Math.max(256, in.readableBytes() * 2));
            partial.writeBytes(in);
        } else {
            partial.discardReadBytes();
        }
    }

    /** Consumes one complete message at the reader index and returns true, or returns false if it is incomplete. */
    protected abstract boolean next(ByteBuf in, WsConnection connection);

    @Override
    public final void release() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }
}
