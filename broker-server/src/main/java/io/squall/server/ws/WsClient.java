package io.squall.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import io.squall.core.CloseReason;
import io.squall.core.protocol.EncodedMessage;
import io.undertow.util.ImmediatePooledByteBuffer;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.StreamSinkFrameChannel;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketFrameType;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * One WebSocket connection. Frames sent from the loop wait in a small outbox and are written by the connection's
 * own IO thread: sending marks the connection in its IO thread's {@link FlushQueue} (once until the next flush),
 * whose single drain task writes every frame queued meanwhile with one socket flush. Queued bytes are counted
 * until Undertow reports them written; past the limit the connection is closed as a slow consumer, so one stalled
 * peer can never hold unbounded memory.
 *
 * <p>Kept small for idle connections: the outbox is allocated on the first send, the queued-byte count is a field
 * updated through a {@link VarHandle}, and the client is itself the write-completion callback of its flushes.
 */
final class WsClient implements Client, FlushQueue.Target, WebSocketCallback<Long> {
    private static final Logger log = LoggerFactory.getLogger(WsClient.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final VarHandle QUEUED_BYTES;

    static {
        try {
            QUEUED_BYTES = MethodHandles.lookup().findVarHandle(WsClient.class, "queuedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    enum State { NEW, CONNECTED, GONE }

    private final WebSocketChannel wsChannel;
    private final WsEndpoint endpoint;
    private final FlushQueue flushQueue;
    private final JsonNode identity; // null: anonymous
    private ArrayDeque<EncodedMessage> outbox; // guarded by this; created by the first send
    private boolean flushScheduled; // guarded by this
    private volatile long queuedBytes;
    private volatile boolean closing;
    private volatile long lastHeardNanos;

    // loop thread only
    State state = State.NEW;
    int slot = -1; // index in the endpoint's client list while connected
    long pingSentNanos;
    long lastPingNanos;

    WsClient(WebSocketChannel wsChannel, WsEndpoint endpoint, JsonNode identity, long nowNanos) {
        this.wsChannel = wsChannel;
        this.endpoint = endpoint;
        this.flushQueue = endpoint.flushQueue(wsChannel.getIoThread());
        this.identity = identity;
        this.lastHeardNanos = nowNanos;
        this.lastPingNanos = nowNanos;
    }

    @Override
    public void send(EncodedMessage message) {
        if (closing) {
            return; // the connection is going away; its peer will not read this anyway
        }
        int size = message.size();
        if ((long) QUEUED_BYTES.getAndAdd(this, (long) size) + size > endpoint.limits().maxQueuedBytes()) {
            QUEUED_BYTES.getAndAdd(this, (long) -size);
            endpoint.slowConsumer(this);
            close(CloseReason.SLOW_CONSUMER);
            return;
        }
        boolean schedule;
        synchronized (this) {
            if (outbox == null) {
                outbox = new ArrayDeque<>(4);
            }
            outbox.add(message);
            schedule = !flushScheduled;
            flushScheduled = true;
        }
        if (schedule) {
            flushQueue.mark(this);
        }
    }

    /**
     * IO thread, from the flush queue: writes everything queued so far with a single socket flush (Undertow gathers
     * the queued frames into one write). Returns the number of frames handed to the socket.
     */
    @Override
    public int flush(FlushQueue queue) {
        EncodedMessage[] batch;
        int count;
        synchronized (this) {
            flushScheduled = false;
            count = outbox == null ? 0 : outbox.size();
            batch = queue.scratch(count);
            for (int i = 0; i < count; i++) {
                batch[i] = outbox.poll();
            }
        }
        if (count == 0) {
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            bytes += batch[i].size();
        }
        try {
            if (!wsChannel.isOpen() || wsChannel.isCloseFrameSent()) {
                QUEUED_BYTES.getAndAdd(this, -bytes);
                return 0;
            }
            write(batch, count, bytes);
            return count;
        } finally {
            Arrays.fill(batch, 0, count, null);
        }
    }

    /**
     * Frames on one channel are written in order, so only the last one carries a completion callback, for the
     * whole batch's bytes: the others skip Undertow's per-frame flush listeners.
     */
    private void write(EncodedMessage[] batch, int count, long bytes) {
        wsChannel.setRequireExplicitFlush(true);
        try {
            for (int i = 0; i < count - 1; i++) {
                StreamSinkFrameChannel frame = wsChannel.send(WebSocketFrameType.TEXT);
                if (!frame.send(new ImmediatePooledByteBuffer(batch[i].buffer()))) {
                    throw new IOException("frame refused by a new sink channel");
                }
                frame.shutdownWrites();
            }
            WebSockets.sendText(batch[count - 1].buffer(), wsChannel, this, bytes);
        } catch (IOException e) {
            QUEUED_BYTES.getAndAdd(this, -bytes);
            log.debug("write to {} failed: {}", describe(), e.toString());
            IoUtils.safeClose(wsChannel);
        } finally {
            wsChannel.setRequireExplicitFlush(false);
            wsChannel.flush();
        }
    }

    /** IO thread: the batch ending with this frame is written. */
    @Override
    public void complete(WebSocketChannel channel, Long bytes) {
        QUEUED_BYTES.getAndAdd(this, -bytes.longValue());
    }

    @Override
    public void onError(WebSocketChannel channel, Long bytes, Throwable error) {
        QUEUED_BYTES.getAndAdd(this, -bytes.longValue());
        log.debug("write to {} failed: {}", describe(), error.toString());
        IoUtils.safeClose(channel);
    }

    /** IO thread: the flush itself failed unexpectedly; the connection cannot be trusted to frame correctly. */
    @Override
    public void abort() {
        IoUtils.safeClose(wsChannel);
    }

    void heard(long nowNanos) {
        lastHeardNanos = nowNanos;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    long queuedBytes() {
        return queuedBytes;
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

    /** Built on demand (logs only), so idle connections do not each keep a string. */
    @Override
    public String describe() {
        return endpoint.transport() + ":" + wsChannel.getSourceAddress();
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
            endpoint.closeLater(wsChannel);
        });
    }

    boolean isClosing() {
        return closing;
    }

    @Override
    public String toString() {
        return describe();
    }
}
