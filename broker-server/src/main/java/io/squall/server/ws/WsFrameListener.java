package io.squall.server.ws;

import io.squall.core.protocol.Decoded;
import io.squall.core.protocol.ProtocolCodec;
import io.squall.core.protocol.StandardError;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Buffers;
import org.xnio.IoUtils;
import org.xnio.Pooled;

/**
 * Undertow's receive callbacks for one connection, on its IO thread: frames are decoded here, off the loop, and
 * only routable envelopes (or the error replies for the rest) are handed to the loop.
 *
 * <p>Every frame decoded during one read event is handed to the loop as one task (at most {@link #MAX_BATCH}
 * frames each, so a task stays small and the loop's queue bound still means something): a backend publishing over
 * one socket pays one queue hand-off per read instead of one per frame. Frames keep their arrival order, and a
 * batch the loop cannot take has every one of its frames answered {@code Overloaded}.
 */
final class WsFrameListener extends AbstractReceiveListener {
    private static final Logger log = LoggerFactory.getLogger(WsFrameListener.class);
    /** frames per loop task; one read of Undertow's 16 KiB buffer rarely holds more small frames than this */
    static final int MAX_BATCH = 64;

    private final WsClient client;
    private final WsEndpoint endpoint;
    // IO thread only
    private Decoded[] pending;
    private int pendingCount;
    private boolean inReadEvent;

    WsFrameListener(WsClient client, WsEndpoint endpoint) {
        this.client = client;
        this.endpoint = endpoint;
    }

    @Override
    protected long getMaxTextBufferSize() {
        return endpoint.limits().maxFrameBytes();
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return endpoint.limits().maxFrameBytes();
    }

    /** One read event: the frames it completes are collected and handed to the loop together at its end. */
    @Override
    public void handleEvent(WebSocketChannel channel) {
        inReadEvent = true;
        try {
            super.handleEvent(channel);
        } finally {
            inReadEvent = false;
            handOff();
        }
    }

    /**
     * Text frames are buffered as bytes and parsed by Jackson straight from UTF-8, skipping the String (a UTF-16
     * copy of every frame) that Undertow's text buffering builds. Undertow still checks each text frame's UTF-8 as
     * it reads it, and still answers a frame over the limit with 1009 (through {@link #onError}).
     */
    @Override
    protected void onText(WebSocketChannel channel, StreamSourceFrameChannel frame) throws IOException {
        BufferedBinaryMessage message = new BufferedBinaryMessage(getMaxTextBufferSize(), true);
        message.read(frame, new WebSocketCallback<>() {
            @Override
            public void complete(WebSocketChannel ch, BufferedBinaryMessage full) {
                onFullText(full);
            }

            @Override
            public void onError(WebSocketChannel ch, BufferedBinaryMessage full, Throwable error) {
                WsFrameListener.this.onError(ch, error);
            }
        });
    }

    private void onFullText(BufferedBinaryMessage message) {
        client.heard(endpoint.nanoTime());
        byte[] bytes;
        try (Pooled<ByteBuffer[]> data = message.getData()) {
            ByteBuffer[] buffers = data.getResource();
            bytes = new byte[(int) Buffers.remaining(buffers)];
            int at = 0;
            for (ByteBuffer buffer : buffers) {
                int length = buffer.remaining();
                buffer.get(bytes, at, length);
                at += length;
            }
        }
        received(endpoint.codec().decode(bytes));
    }

    private void received(Decoded decoded) {
        if (!inReadEvent) {
            // completed outside a read event (a frame whose tail arrived through a callback): nothing to batch with
            endpoint.received(client, decoded);
            return;
        }
        if (pending == null) {
            pending = new Decoded[MAX_BATCH];
        }
        pending[pendingCount++] = decoded;
        if (pendingCount == MAX_BATCH) {
            handOff();
        }
    }

    private void handOff() {
        if (pendingCount == 0) {
            return;
        }
        Decoded[] batch = pendingCount == 1 ? null : Arrays.copyOf(pending, pendingCount);
        Decoded single = pending[0];
        Arrays.fill(pending, 0, pendingCount, null);
        pendingCount = 0;
        if (batch == null) {
            endpoint.received(client, single);
        } else {
            endpoint.received(client, batch);
        }
    }

    /** Frames read before a close frame go to the loop first, so they are not overtaken by the disconnect. */
    @Override
    protected void onCloseMessage(CloseMessage cm, WebSocketChannel channel) {
        handOff();
        super.onCloseMessage(cm, channel);
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        message.getData().free();
        client.heard(endpoint.nanoTime());
        // Snorky's protocol is JSON text; say so instead of dropping the frame
        ProtocolCodec codec = endpoint.codec();
        received(new Decoded.Rejected(StandardError.INVALID_JSON,
                codec.error(null, null, StandardError.INVALID_JSON)));
    }

    @Override
    protected void onFullPongMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        message.getData().free();
        client.heard(endpoint.nanoTime());
    }

    @Override
    protected void onFullPingMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
        client.heard(endpoint.nanoTime());
        super.onFullPingMessage(channel, message);
    }

    @Override
    protected void onError(WebSocketChannel channel, Throwable error) {
        if (channel.isCloseFrameSent()) {
            // Undertow already answered an oversized frame with 1009; let that close frame reach the peer
            log.debug("{}: {}", client.describe(), error.toString());
            endpoint.closeLater(channel);
            return;
        }
        log.debug("{} failed: {}", client.describe(), error.toString());
        IoUtils.safeClose(channel);
    }
}
