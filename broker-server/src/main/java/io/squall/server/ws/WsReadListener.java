package io.squall.server.ws;

import io.squall.core.error.CloseCode;
import io.squall.core.error.ErrorName;
import io.squall.core.protocol.Decoded;
import io.squall.core.protocol.ProtocolCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * Reads one connection on its IO thread: bytes go through the IO thread's read buffer into the connection's
 * {@link FrameReader}, and each message is decoded here, off the loop, so only routable envelopes (or the error
 * replies for the rest) reach the loop.
 *
 * <p>Every message decoded during one read event is handed to the loop as one task (at most {@link #MAX_BATCH}
 * each, so a task stays small and the loop's queue bound still means something): a backend publishing over one
 * socket pays one queue hand-off per read instead of one per frame. Messages keep their arrival order, and a
 * batch the loop cannot take has every one of its messages answered {@code Overloaded}.
 */
final class WsReadListener implements ChannelListener<ConduitStreamSourceChannel>, FrameReader.Sink {
    private static final Logger log = LoggerFactory.getLogger(WsReadListener.class);
    /** messages per loop task; one 16 KiB read rarely holds more small frames than this */
    static final int MAX_BATCH = 64;
    static final int READ_BUFFER_BYTES = 16 * 1024;
    /**
     * One read buffer and one batch array per IO thread, used by one read event at a time: a connection keeps
     * bytes only while a frame is unfinished, and nothing at all between events.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
        final Decoded[] pending = new Decoded[MAX_BATCH];
        int pendingCount;
    }

    private final WsClient client;
    private final WsEndpoint endpoint;
    private final FrameReader frames;
    private Scratch scratch; // IO thread only: set for the duration of a read event

    WsReadListener(WsClient client, WsEndpoint endpoint) {
        this.client = client;
        this.endpoint = endpoint;
        this.frames = new FrameReader(endpoint.limits().maxFrameBytes(), this);
    }

    /** One read event: reads until the socket is drained; the messages it completes go to the loop together. */
    @Override
    public void handleEvent(ConduitStreamSourceChannel channel) {
        scratch = SCRATCH.get();
        ByteBuffer buffer = scratch.buffer;
        try {
            while (true) {
                buffer.clear();
                int read = channel.read(buffer);
                if (read < 0) {
                    handOff();
                    client.abort(); // the peer is gone without a close frame: close both directions
                    return;
                }
                if (read == 0) {
                    break;
                }
                buffer.flip();
                if (!frames.feed(buffer) || client.readsEnded()) {
                    break; // closed, failed or cut off: what follows is not read
                }
                if (read < buffer.capacity()) {
                    break; // drained; the next event brings more
                }
            }
        } catch (IOException e) {
            log.debug("read from {} failed: {}", client.describe(), e.toString());
            client.abort();
        } finally {
            handOff();
            scratch = null;
        }
    }

    @Override
    public void text(byte[] utf8) {
        client.heard(endpoint.nanoTime());
        received(endpoint.codec().decode(utf8));
    }

    @Override
    public void binary() {
        client.heard(endpoint.nanoTime());
        // Snorky's protocol is JSON text; say so instead of dropping the frame
        ProtocolCodec codec = endpoint.codec();
        received(new Decoded.Rejected(ErrorName.INVALID_JSON, codec.error(null, null, ErrorName.INVALID_JSON)));
    }

    @Override
    public void ping(byte[] payload) {
        client.heard(endpoint.nanoTime());
        client.pong(payload);
    }

    @Override
    public void pong() {
        client.heard(endpoint.nanoTime());
    }

    /** Messages read before a close frame go to the loop first, so they are not overtaken by the disconnect. */
    @Override
    public void close(int code, String reason) {
        handOff();
        client.peerClosed(code);
    }

    @Override
    public void fail(CloseCode reason, String detail) {
        handOff();
        log.debug("{} broke the protocol ({} {})", client.describe(), reason.code(), detail);
        client.failed(reason.code(), detail);
    }

    private void received(Decoded decoded) {
        Scratch batch = scratch;
        batch.pending[batch.pendingCount++] = decoded;
        if (batch.pendingCount == MAX_BATCH) {
            handOff();
        }
    }

    private void handOff() {
        Scratch current = scratch;
        if (current == null || current.pendingCount == 0) {
            return;
        }
        Decoded[] pending = current.pending;
        int count = current.pendingCount;
        Decoded[] batch = count == 1 ? null : Arrays.copyOf(pending, count);
        Decoded single = pending[0];
        Arrays.fill(pending, 0, count, null);
        current.pendingCount = 0;
        if (batch == null) {
            endpoint.received(client, single);
        } else {
            endpoint.received(client, batch);
        }
    }
}
