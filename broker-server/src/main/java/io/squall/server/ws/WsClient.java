package io.squall.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import io.squall.core.CloseReason;
import io.squall.core.protocol.EncodedMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * One WebSocket connection. Frames sent from the loop wait in a small outbox and are written by the connection's
 * own IO thread: every frame queued meanwhile goes out in one gathering write. Queued bytes are counted until
 * Undertow reports them written; past the limit the connection is closed as a slow consumer, so one stalled peer
 * can never hold unbounded memory.
 */
final class WsClient implements Client {
    private static final Logger log = LoggerFactory.getLogger(WsClient.class);
    /** how long a closing peer gets to answer our close frame before the socket is cut */
    private static final long CLOSE_GRACE_MILLIS = 2_000;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    enum State { NEW, CONNECTED, GONE }

    private final WebSocketChannel wsChannel;
    private final WsEndpoint endpoint;
    private final String description;
    private final JsonNode identity; // null: anonymous
    private final ArrayDeque<EncodedMessage> outbox = new ArrayDeque<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final WebSocketCallback<EncodedMessage> written = new WrittenCallback();
    private boolean flushScheduled; // guarded by outbox
    private volatile boolean closing;
    private volatile long lastHeardNanos;

    // loop thread only
    State state = State.NEW;
    long pingSentNanos;
    long lastPingNanos;

    WsClient(WebSocketChannel wsChannel, WsEndpoint endpoint, String description, JsonNode identity, long nowNanos) {
        this.wsChannel = wsChannel;
        this.endpoint = endpoint;
        this.description = description;
        this.identity = identity;
        this.lastHeardNanos = nowNanos;
        this.lastPingNanos = nowNanos;
    }

    @Override
    public void send(EncodedMessage message) {
        if (closing) {
            return; // the connection is going away; its peer will not read this anyway
        }
        if (queuedBytes.addAndGet(message.size()) > endpoint.limits().maxQueuedBytes()) {
            queuedBytes.addAndGet(-message.size());
            endpoint.slowConsumer(this);
            close(CloseReason.SLOW_CONSUMER);
            return;
        }
        boolean schedule;
        synchronized (outbox) {
            outbox.add(message);
            schedule = !flushScheduled;
            flushScheduled = true;
        }
        if (schedule) {
            wsChannel.getIoThread().execute(this::flush);
        }
    }

    /** IO thread: writes everything queued so far with a single flush (one gathering write). */
    private void flush() {
        EncodedMessage[] batch;
        synchronized (outbox) {
            batch = outbox.toArray(new EncodedMessage[0]);
            outbox.clear();
            flushScheduled = false;
        }
        if (!wsChannel.isOpen() || wsChannel.isCloseFrameSent()) {
            for (EncodedMessage message : batch) {
                queuedBytes.addAndGet(-message.size());
            }
            return;
        }
        endpoint.flushed(batch.length);
        wsChannel.setRequireExplicitFlush(true);
        try {
            for (EncodedMessage message : batch) {
                WebSockets.sendText(message.buffer(), wsChannel, written, message);
            }
        } finally {
            wsChannel.setRequireExplicitFlush(false);
            wsChannel.flush();
        }
    }

    void heard(long nowNanos) {
        lastHeardNanos = nowNanos;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    long queuedBytes() {
        return queuedBytes.get();
    }

    void ping() {
        wsChannel.getIoThread().execute(() -> {
            if (wsChannel.isOpen() && !wsChannel.isCloseFrameSent()) {
                WebSockets.sendPing(EMPTY.duplicate(), wsChannel, null);
            }
        });
    }

    /** The identity of the token accepted at the handshake; empty for an anonymous connection. */
    @Override
    public Optional<JsonNode> identity() {
        return Optional.ofNullable(identity);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close(CloseReason reason) {
        if (closing) {
            return;
        }
        closing = true;
        wsChannel.getIoThread().execute(() -> {
            if (!wsChannel.isOpen()) {
                return;
            }
            if (!wsChannel.isCloseFrameSent()) {
                WebSockets.sendClose(new CloseMessage(reason.code(), reason.text()), wsChannel, null);
            }
            // a peer that never answers the close (or never reads) must not keep the socket
            wsChannel.getIoThread().executeAfter(() -> IoUtils.safeClose(wsChannel), CLOSE_GRACE_MILLIS,
                    TimeUnit.MILLISECONDS);
        });
    }

    boolean isClosing() {
        return closing;
    }

    @Override
    public String toString() {
        return description;
    }

    private final class WrittenCallback implements WebSocketCallback<EncodedMessage> {
        @Override
        public void complete(WebSocketChannel channel, EncodedMessage message) {
            queuedBytes.addAndGet(-message.size());
        }

        @Override
        public void onError(WebSocketChannel channel, EncodedMessage message, Throwable error) {
            queuedBytes.addAndGet(-message.size());
            log.debug("write to {} failed: {}", description, error.toString());
            IoUtils.safeClose(channel);
        }
    }
}
