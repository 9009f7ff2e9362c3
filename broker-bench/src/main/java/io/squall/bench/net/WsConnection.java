package io.squall.bench.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** One open client WebSocket. Writes may come from any thread; Netty moves them onto the connection's loop. */
public final class WsConnection {
    private final Channel channel;
    private final boolean text;
    private final int id;

    WsConnection(Channel channel, boolean text, int id) {
        this.channel = channel;
        this.text = text;
        this.id = id;
    }

    /** Queues {@code payload} as one frame (text or binary, as the target says); call {@link #flush} after. */
    public void write(ByteBuf payload) {
        channel.write(text ? new TextWebSocketFrame(payload) : new BinaryWebSocketFrame(payload), channel.voidPromise());
    }

    public void send(ByteBuf payload) {
        write(payload);
        flush();
    }

    public void flush() {
        channel.flush();
    }

    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    public EventLoop loop() {
        return channel.eventLoop();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public boolean isWritable() {
        return channel.isWritable();
    }

    public void close() {
        channel.close();
    }

    /** Sends a control frame (a close, say) as it is, and flushes. */
    public void writeFrame(WebSocketFrame frame) {
        channel.writeAndFlush(frame);
    }

    /** The number the opener gave this connection (a subscriber's index, say). */
    public int id() {
        return id;
    }

    Channel channel() {
        return channel;
    }
}
