package io.squall.bench.net;

import io.netty.buffer.ByteBuf;

/** Turns the payload of one WebSocket frame into protocol events; one instance per connection, on its loop. */
public interface FrameDecoder {
    void decode(ByteBuf frame, WsConnection connection);

    /** Frees whatever the decoder still holds (a partial message) when the connection closes. */
    default void release() {}
}
