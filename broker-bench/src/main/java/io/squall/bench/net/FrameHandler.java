package io.squall.bench.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import java.util.concurrent.CompletableFuture;

/**
 * The end of a client pipeline: at the handshake it puts a {@link ServerFrameReader} (which feeds the decoder) in
 * place of Netty's frame decoder and completes the open future; then it reports closes and failures.
 */
final class FrameHandler extends ChannelInboundHandlerAdapter {
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
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            readFramesInPlace(ctx.pipeline());
            opened.complete(connection);
        } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            opened.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
        }
        super.userEventTriggered(ctx, event);
    }

    /**
     * The handshaker has just added its frame decoder (still empty: bytes after the 101 response reach it only
     * once the HTTP codec is removed, later on this loop), so the reader takes its place and gets them instead.
     */
    private void readFramesInPlace(ChannelPipeline pipeline) {
        WebSocketFrameDecoder netty = pipeline.get(WebSocketFrameDecoder.class);
        if (netty == null) {
            throw new IllegalStateException("the handshaker added no WebSocket frame decoder to replace");
        }
        pipeline.replace(netty, "ws-reader",
                new ServerFrameReader(decoder, listener, connection, WsConnector.MAX_FRAME_BYTES));
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
