package io.squall.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import io.squall.core.error.CloseCode;
import io.squall.core.loop.LoopOverloadedException;
import io.squall.core.protocol.EncodedMessage;
import io.squall.server.hooks.Handshake;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;

/**
 * One WebSocket connection, written by Squall itself on the raw socket Undertow hands over after the handshake.
 * Frames sent from the loop wait in an {@link Outbox} and are written by the connection's own IO thread: sending
 * marks the connection in its IO thread's {@link FlushQueue} (once until the next flush), whose single drain
 * task copies every frame queued meanwhile into the IO thread's write buffer and writes it with one system call
 * (write coalescing). A socket that takes less resumes from its write listener.
 *
 * <p>Queued bytes, control frames included, are counted until the socket takes them; past the limit the connection
 * is closed as a slow consumer, so one stalled peer can never hold unbounded memory. Pongs are coalesced (one
 * waits at most), and the pongs a newer ping replaced before the socket took anything still count against the
 * limit: a peer that pings without reading is cut like one that subscribes without reading. Kept small for idle
 * connections: no buffer of its own, the outbox made on the first frame, the byte count a field updated through a
 * {@link VarHandle}.
 */
final class WsClient implements Client, FlushQueue.Target, Handshake.Carrier {
    private static final Logger log = LoggerFactory.getLogger(WsClient.class);
    private static final VarHandle QUEUED_BYTES;

    static {
        try {
            QUEUED_BYTES = MethodHandles.lookup().findVarHandle(WsClient.class, "queuedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    enum State { NEW, CONNECTED, GONE }

    private final StreamConnection connection;
    private final WsEndpoint endpoint;
    private final FlushQueue flushQueue;
    private final JsonNode identity; // null: anonymous
    private volatile Outbox outbox; // created by the first frame
    private volatile long queuedBytes;
    private volatile boolean closing;
    private volatile long lastHeardNanos;
    // IO thread only
    private boolean closeSent;
    /** the code of the first close frame sent or received (IO thread), 0 while there is none */
    private volatile int closeCode;
    private boolean peerClosed;
    private boolean readsEnded; // nothing more is read: a close, a broken frame, or a peer that does not read
    private boolean writeBlocked; // the socket took less than offered: its write listener resumes
    private long replacedPongBytes; // pongs replaced since the socket last took a byte

    /** what the proxies know of the handshake ({@link Handshake#NONE} when nothing) */
    private final Handshake handshake;

    // loop thread only
    State state = State.NEW;
    int slot = -1; // index in the endpoint's client list while connected
    long pingSentNanos;
    long lastPingNanos;

    WsClient(StreamConnection connection, WsEndpoint endpoint, JsonNode identity, Handshake handshake, long nowNanos) {
        this.connection = connection;
        this.handshake = handshake;
        this.endpoint = endpoint;
        this.flushQueue = endpoint.flushQueue(connection.getIoThread());
        this.identity = identity;
        this.lastHeardNanos = nowNanos;
        this.lastPingNanos = nowNanos;
        connection.getSinkChannel().getWriteSetter().set(channel -> {
            channel.suspendWrites();
            writeBlocked = false;
            writeOut();
        });
    }

    @Override
    public void send(EncodedMessage message) {
        if (closing) {
            return; // the connection is going away; its peer will not read this anyway
        }
        int size = Outbox.wireLength(message);
        if ((long) QUEUED_BYTES.getAndAdd(this, (long) size) + size > endpoint.limits().maxQueuedBytes()) {
            QUEUED_BYTES.getAndAdd(this, (long) -size);
            endpoint.slowConsumer(this);
            close(CloseCode.SLOW_CONSUMER);
            return;
        }
        if (outbox().add(message)) {
            flushQueue.mark(this);
        }
    }

    private Outbox outbox() {
        Outbox box = outbox;
        if (box == null) {
            synchronized (this) {
                box = outbox;
                if (box == null) {
                    box = new Outbox();
                    outbox = box;
                }
            }
        }
        return box;
    }

    /** IO thread, from the flush queue: writes everything queued so far; returns the frames the socket took. */
    @Override
    public int flush(FlushQueue queue) {
        Outbox box = outbox;
        if (box == null) {
            return 0;
        }
        box.flushing();
        return writeBlocked ? 0 : writeOut(); // a full socket: its write listener writes when it can take more
    }

    /**
     * IO thread: copies queued frames into the IO thread's write buffer and writes them, one system call per
     * buffer-full, until the outbox is empty or the socket is full (then the write listener resumes).
     */
    private int writeOut() {
        Outbox box = outbox;
        if (box == null || !connection.isOpen()) {
            return 0;
        }
        ConduitStreamSinkChannel sink = connection.getSinkChannel();
        ByteBuffer out = flushQueue.writeBuffer();
        int frames = 0;
        try {
            while (true) {
                out.clear();
                if (box.fill(out) == 0) {
                    break;
                }
                out.flip();
                int filled = out.remaining();
                int written = sink.write(out);
                QUEUED_BYTES.getAndAdd(this, (long) -written);
                frames += box.consume(written);
                if (written > 0) {
                    replacedPongBytes = 0; // the peer reads
                }
                if (written < filled) {
                    waitForWritable(sink);
                    return frames;
                }
            }
            if (!sink.flush()) {
                waitForWritable(sink);
                return frames;
            }
        } catch (IOException e) {
            log.debug("write to {} failed: {}", describe(), e.toString());
            IoUtils.safeClose(connection);
            return frames;
        }
        if (closeSent && peerClosed) {
            IoUtils.safeClose(connection); // both close frames are out: the server ends the TCP connection
        }
        return frames;
    }

    private void waitForWritable(ConduitStreamSinkChannel sink) {
        writeBlocked = true;
        sink.resumeWrites();
    }

    /** IO thread: queues a control frame (a ping or close) behind what is queued and writes. */
    private void writeControl(byte[] frame) {
        QUEUED_BYTES.getAndAdd(this, (long) frame.length);
        // not add(): that would leave a flush marked as pending that no one ever runs, and stall later frames
        outbox().addForImmediateWrite(frame);
        writeSoon();
    }

    /** IO thread: writes now, unless the socket is full and its write listener will. */
    private void writeSoon() {
        if (!writeBlocked) {
            writeOut();
        }
    }

    /** IO thread: whether the bytes queued, plus pongs replaced unread, have passed the connection's limit. */
    private boolean overBudget() {
        return queuedBytes + replacedPongBytes > endpoint.limits().maxQueuedBytes();
    }

    /**
     * IO thread: the connection is unusable (the peer vanished, a read failed, or a flush failed unexpectedly and it
     * can no longer be trusted to frame correctly): the socket is closed in both directions.
     */
    @Override
    public void abort() {
        IoUtils.safeClose(connection);
    }

    /** IO thread: the peer pinged; its pong replaces one still waiting, and counts against the limit either way. */
    void pong(byte[] payload) {
        if (closeSent) {
            return;
        }
        byte[] frame = ControlFrames.pong(payload);
        int replaced = outbox().addPong(frame);
        QUEUED_BYTES.getAndAdd(this, (long) frame.length - replaced);
        replacedPongBytes += replaced;
        if (overBudget()) {
            cutSlowConsumer();
            return;
        }
        writeSoon();
    }

    void ping() {
        ioThread().execute(() -> {
            if (connection.isOpen() && !closeSent) {
                writeControl(ControlFrames.PING);
                if (overBudget()) {
                    cutSlowConsumer();
                }
            }
        });
    }

    /** IO thread: the peer does not read what it is sent; it is closed as a slow consumer. */
    private void cutSlowConsumer() {
        endpoint.slowConsumer(this);
        closing = true;
        closeOnIoThread(CloseCode.SLOW_CONSUMER);
    }

    /**
     * IO thread: the peer's close frame. After our own close it completes the closing handshake; otherwise it is
     * answered with the same code, after the replies to what the peer sent before it, and the socket is closed once
     * the answer is out.
     */
    void peerClosed(int code) {
        peerClosed = true;
        if (closeCode == 0) {
            closeCode = code;
        }
        stopReading();
        if (closeSent) {
            IoUtils.safeClose(connection);
            return;
        }
        closeAfterReplies(code, ControlFrames.close(code, ""));
    }

    /**
     * IO thread: the peer broke the protocol; after the replies to what it sent before, it is told why and cut off
     * after the close grace period.
     */
    void failed(int code, String reason) {
        stopReading();
        if (!closeSent) {
            closeAfterReplies(code, ControlFrames.close(code, reason));
        }
    }

    /**
     * IO thread: sends {@code frame} once the loop has handled the messages read before it, so their replies are
     * queued ahead of it: a task behind theirs on the loop hands the close back to this IO thread. A reply that waits
     * for other work (a backend, a worker) may still come too late. When the loop's queue is full it goes at once.
     */
    private void closeAfterReplies(int code, byte[] frame) {
        Runnable close = () -> {
            closing = true;
            if (connection.isOpen() && !closeSent) {
                sendClose(code, frame);
            }
        };
        try {
            endpoint.loop().execute(() -> ioThread().execute(close));
        } catch (LoopOverloadedException e) {
            close.run();
        }
    }

    /** IO thread: sends our close frame; a peer that never answers it (or never reads) must not keep the socket. */
    private void sendClose(int code, byte[] frame) {
        closeSent = true;
        if (closeCode == 0) {
            closeCode = code;
        }
        writeControl(frame);
        if (connection.isOpen()) {
            endpoint.closeLater(connection);
        }
    }

    void heard(long nowNanos) {
        lastHeardNanos = nowNanos;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    @Override
    public Handshake handshake() {
        return handshake;
    }

    /** The identity of the token accepted at the handshake; empty for an anonymous connection. */
    @Override
    public Optional<JsonNode> identity() {
        return Optional.ofNullable(identity);
    }

    /** Built on demand (logs only), so idle connections do not each keep a string. */
    @Override
    public String describe() {
        return endpoint.transport() + ":" + connection.getPeerAddress();
    }

    @Override
    public void close(CloseCode reason) {
        close(reason.code(), reason.text());
    }

    /** Also the application's own code (4000-4999, checked by the caller) and reason, cut to fit a close frame. */
    @Override
    public void close(int code, String reason) {
        if (!closing) {
            closing = true;
            ioThread().execute(() -> closeOnIoThread(code, reason));
        }
    }

    private void closeOnIoThread(CloseCode reason) {
        closeOnIoThread(reason.code(), reason.text());
    }

    private void closeOnIoThread(int code, String reason) {
        if (!connection.isOpen() || closeSent) {
            return;
        }
        if (code == CloseCode.SLOW_CONSUMER.code()) {
            stopReading(); // it does not read: what it sends could only add to what it is not reading
        }
        sendClose(code, ControlFrames.close(code, reason));
    }

    private void stopReading() {
        readsEnded = true;
        connection.getSourceChannel().suspendReads();
    }

    /** IO thread: nothing more is to be read from this connection. */
    boolean readsEnded() {
        return readsEnded;
    }

    /** IO thread: the socket is closed; what was still queued will never be written. */
    void closed() {
        closing = true;
        Outbox box = outbox;
        if (box != null) {
            QUEUED_BYTES.getAndAdd(this, -box.clear());
        }
    }

    /** IO thread: the code of the closing handshake, 0 if the socket ended without one. */
    @Override
    public int closeCode() {
        return closeCode;
    }

    boolean isClosing() {
        return closing;
    }

    private XnioIoThread ioThread() {
        return connection.getIoThread();
    }

    @Override
    public String toString() {
        return describe();
    }
}
