package io.squall.bench.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.charset.StandardCharsets;

/**
 * Reads the server's WebSocket frames (RFC 6455, no extensions) straight from the socket's buffers once the
 * handshake is done, in place of Netty's frame decoder and aggregator: no frame objects, no copies of complete
 * frames. A complete message's payload is handed to the {@link FrameDecoder} as the inbound buffer itself with its
 * indices narrowed to the payload (restored after the call); only an incomplete trailing frame is copied and kept
 * for the next read, and only a fragmented message is gathered. PING is answered with PONG, CLOSE is reported to
 * the listener, answered and the connection closed; anything malformed (reserved bits, unknown opcode, a masked or
 * oversized frame, a stray continuation) fails the connection.
 */
final class ServerFrameReader extends ChannelInboundHandlerAdapter {
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    private static final int MAX_HEADER_BYTES = 10;

    private final FrameDecoder decoder;
    private final Listener listener;
    private final WsConnection connection;
    private final int maxMessageBytes;
    /** an incomplete frame carried over to the next read, or null */
    private ByteBuf tail;
    /** the fragments of a message not yet complete, or null */
    private ByteBuf message;
    private boolean broken;

    ServerFrameReader(FrameDecoder decoder, Listener listener, WsConnection connection, int maxMessageBytes) {
        this.decoder = decoder;
        this.listener = listener;
        this.connection = connection;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!broken && (tail == null || completeTail(ctx, in))) {
                readFrames(ctx, in);
            }
        } catch (CorruptedWebSocketFrameException e) {
            broken = true;
            releaseBuffers();
            throw e;
        } finally {
            in.release();
        }
    }

    /** Nothing after us needs to know a read batch ended. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // deliberately not propagated
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseBuffers();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBuffers();
    }

    /** Handles every complete frame of {@code in} in place and keeps a trailing partial one. */
    private void readFrames(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.isReadable() && !broken) {
            int at = in.readerIndex();
            int available = in.readableBytes();
            int size = need(in, at, available);
            if (available < size) {
                tail = ctx.alloc().heapBuffer(Math.max(MAX_HEADER_BYTES, Math.min(size, 64 << 10)));
                tail.writeBytes(in);
                return;
            }
            frame(ctx, in, at, size);
            in.readerIndex(at + size);
        }
    }

    /**
     * Copies from {@code in} only what the kept partial frame still lacks; handles it once it is complete and
     * returns true, or returns false when {@code in} ran out first.
     */
    private boolean completeTail(ChannelHandlerContext ctx, ByteBuf in) {
        while (true) {
            int want = need(tail, tail.readerIndex(), tail.readableBytes());
            int missing = want - tail.readableBytes();
            if (missing <= 0) {
                ByteBuf complete = tail;
                tail = null;
                try {
                    frame(ctx, complete, complete.readerIndex(), want);
                } finally {
                    complete.release();
                }
                return true;
            }
            if (!in.isReadable()) {
                return false;
            }
            tail.writeBytes(in, Math.min(missing, in.readableBytes()));
        }
    }

    /**
     * The bytes the frame at {@code at} needs to be decided on: 2 while its first two bytes are missing, then its
     * header's length while that is incomplete, then its whole size (header and payload).
     */
    private int need(ByteBuf buf, int at, int available) {
        if (available < 2) {
            return 2;
        }
        int b0 = buf.getUnsignedByte(at);
        int b1 = buf.getUnsignedByte(at + 1);
        if ((b0 & 0x70) != 0) {
            throw protocolError("reserved bits set without an extension: 0x" + Integer.toHexString(b0));
        }
        int opcode = b0 & 0x0F;
        if (opcode > OP_BINARY && opcode < OP_CLOSE || opcode > OP_PONG) {
            throw protocolError("unknown opcode " + opcode);
        }
        if ((b1 & 0x80) != 0) {
            throw protocolError("the server masked a frame");
        }
        int length7 = b1 & 0x7F;
        if (opcode >= OP_CLOSE && (length7 > 125 || (b0 & 0x80) == 0)) {
            throw protocolError("fragmented or oversized control frame");
        }
        int header = length7 < 126 ? 2 : length7 == 126 ? 4 : 10;
        if (available < header) {
            return header;
        }
        long length = length7 < 126 ? length7 : length7 == 126 ? buf.getUnsignedShort(at + 2) : buf.getLong(at + 2);
        if (length < 0 || length > maxMessageBytes) {
            throw protocolError("frame of " + Long.toUnsignedString(length) + " bytes, more than " + maxMessageBytes);
        }
        return header + (int) length;
    }

    /** One complete frame, {@code buf[at, at + size)}. */
    private void frame(ChannelHandlerContext ctx, ByteBuf buf, int at, int size) {
        int b0 = buf.getUnsignedByte(at);
        int length7 = buf.getUnsignedByte(at + 1) & 0x7F;
        int from = at + (length7 < 126 ? 2 : length7 == 126 ? 4 : 10);
        int to = at + size;
        boolean fin = (b0 & 0x80) != 0;
        switch (b0 & 0x0F) {
            case OP_TEXT, OP_BINARY -> {
                if (message != null) {
                    throw protocolError("a new message began inside a fragmented one");
                }
                if (fin) {
                    deliver(buf, from, to);
                } else {
                    message = ctx.alloc().heapBuffer(Math.max(256, 2 * (to - from)));
                    message.writeBytes(buf, from, to - from);
                }
            }
            case OP_CONTINUATION -> continuation(buf, from, to, fin);
            case OP_PING -> ctx.channel().writeAndFlush(
                    new PongWebSocketFrame(ctx.alloc().buffer(to - from).writeBytes(buf, from, to - from)));
            case OP_CLOSE -> close(ctx, buf, from, to);
            default -> {
                // a PONG: nothing asked for it, nothing to do
            }
        }
    }

    private void continuation(ByteBuf buf, int from, int to, boolean fin) {
        if (message == null) {
            throw protocolError("a continuation frame without a message to continue");
        }
        if (message.readableBytes() + (to - from) > maxMessageBytes) {
            throw protocolError("fragmented message of more than " + maxMessageBytes + " bytes");
        }
        message.writeBytes(buf, from, to - from);
        if (fin) {
            ByteBuf complete = message;
            message = null;
            try {
                deliver(complete, complete.readerIndex(), complete.writerIndex());
            } finally {
                complete.release();
            }
        }
    }

    private void close(ChannelHandlerContext ctx, ByteBuf buf, int from, int to) {
        if (to - from == 1) {
            throw protocolError("close frame with a one-byte body");
        }
        int code = to - from >= 2 ? buf.getUnsignedShort(from) : WebSocketCloseStatus.EMPTY.code();
        String reason = to - from > 2 ? buf.toString(from + 2, to - from - 2, StandardCharsets.UTF_8) : "";
        broken = true;
        releaseBuffers();
        listener.failed(connection, "closed by the broker: " + code + " " + reason);
        ctx.channel().writeAndFlush(new CloseWebSocketFrame(code == WebSocketCloseStatus.EMPTY.code()
                ? WebSocketCloseStatus.NORMAL_CLOSURE.code() : code, "")).addListener(ChannelFutureListener.CLOSE);
    }

    /** Lends {@code buf} to the decoder with its readable bytes narrowed to the payload. */
    private void deliver(ByteBuf buf, int from, int to) {
        int reader = buf.readerIndex();
        int writer = buf.writerIndex();
        buf.setIndex(from, to);
        try {
            decoder.decode(buf, connection);
        } finally {
            buf.setIndex(reader, writer);
        }
    }

    private void releaseBuffers() {
        if (tail != null) {
            tail.release();
            tail = null;
        }
        if (message != null) {
            message.release();
            message = null;
        }
    }

    private static CorruptedWebSocketFrameException protocolError(String what) {
        return new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, what);
    }
}
