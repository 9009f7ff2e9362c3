package io.squall.server.ws;

import io.squall.core.protocol.Decoded;
import io.squall.core.protocol.ProtocolCodec;
import io.squall.core.protocol.StandardError;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * Undertow's receive callbacks for one connection, on its IO thread: frames are decoded here, off the loop, and
 * only routable envelopes (or the error replies for the rest) are handed to the loop.
 */
final class WsFrameListener extends AbstractReceiveListener {
    private static final Logger log = LoggerFactory.getLogger(WsFrameListener.class);

    private final WsClient client;
    private final WsEndpoint endpoint;

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

    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
        client.heard(endpoint.nanoTime());
        Decoded decoded = endpoint.codec().decode(message.getData());
        endpoint.received(client, decoded);
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        message.getData().free();
        client.heard(endpoint.nanoTime());
        // Snorky's protocol is JSON text; say so instead of dropping the frame
        ProtocolCodec codec = endpoint.codec();
        endpoint.received(client, new Decoded.Rejected(StandardError.INVALID_JSON,
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
