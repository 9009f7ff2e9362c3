package io.squall.bench.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.CompletableFuture;

/** The end of a client pipeline: completes the open future at the handshake, then feeds frames to the decoder. */
final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final FrameDecoder decoder;
    private final Listener listener;
    private final CompletableFuture<WsConnection> opened;
    private final boolean text;
    private final int id;
    private WsConnection connection;

    FrameHandler(FrameDecoder decoder, Listener listener, CompletableFuture<WsConnection> opened, boolean text,
            int id) {
        this.decoder = decoder;
        this.listener = listener;
        this.opened = opened;
        this.text = text;
        this.id = id;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        connection = new WsConnection(ctx.channel(), text, id);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            decoder.decode(frame.content(), connection);
        } else if (frame instanceof CloseWebSocketFrame close) {
            listener.failed(connection, "closed by the broker: " + close.statusCode() + " " + close.reasonText());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            opened.complete(connection);
        } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            opened.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        decoder.release();
        if (!opened.isDone()) {
            opened.completeExceptionally(new IllegalStateException("closed before the handshake completed"));
        } else {
            listener.closed(connection);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!opened.completeExceptionally(cause)) {
            listener.failed(connection, cause.toString());
        }
        ctx.close();
    }
}
