package io.squall.server.ws;

import io.squall.core.protocol.EncodedMessage;
import java.nio.ByteBuffer;

/**
 * The frames waiting to be written to one connection, in order. A text frame is kept as the shared
 * {@link EncodedMessage} of its publication (never copied per subscriber): its frame header is written in front of
 * its bytes only when they are copied into the IO thread's write buffer, so one publication to N subscribers costs
 * N references here and N small copies there. Control frames are kept already framed.
 *
 * <p>Filling does not remove anything; only {@link #consume} does, with the byte count the socket took, so a
 * partial write simply resumes inside the first unfinished frame. Every method takes the outbox's lock: the loop
 * adds while the IO thread fills and consumes.
 *
 * <p>At most one pong waits here: a newer ping's pong takes the place of one not yet begun (RFC 6455 §5.5.3 lets
 * only the latest ping be answered), so a peer that pings without reading cannot grow the outbox.
 */
final class Outbox {
    private static final int TEXT_HEADER = 0x81; // FIN + text opcode
    private static final int INITIAL_CAPACITY = 4;
    /** a ring grown past this by a burst goes back to the initial size once drained (idle connections stay small) */
    private static final int KEEP_CAPACITY = 64;

    private Object[] ring = new Object[INITIAL_CAPACITY]; // EncodedMessage or byte[] (a framed control frame)
    private int head;
    private int count;
    private int headOffset; // wire bytes of the first frame already written
    private int pongAt = -1; // position after head of a pong none of whose bytes are written yet; -1: none
    private boolean flushScheduled;

    /** Queues a frame; true when the caller is to schedule a flush (none is pending yet). */
    synchronized boolean add(Object frame) {
        addForImmediateWrite(frame);
        boolean schedule = !flushScheduled;
        flushScheduled = true;
        return schedule;
    }

    /**
     * IO thread: queues a frame its caller writes at once (a pong, ping or close), leaving flush scheduling as it is:
     * a flush already asked for still happens, and the next {@link #add} still asks for one if none is pending.
     */
    synchronized void addForImmediateWrite(Object frame) {
        if (count == ring.length) {
            grow();
        }
        ring[(head + count) & (ring.length - 1)] = frame;
        count++;
    }

    /**
     * IO thread: queues a framed pong, or puts it in the place of the pong still waiting unbegun. Returns the wire
     * length of the pong it replaced (0 when it was queued as a new frame).
     */
    synchronized int addPong(byte[] pong) {
        if (pongAt >= 0) {
            int at = (head + pongAt) & (ring.length - 1);
            int replaced = ((byte[]) ring[at]).length;
            ring[at] = pong;
            return replaced;
        }
        addForImmediateWrite(pong);
        pongAt = count - 1;
        return 0;
    }

    /** The IO thread is about to write: frames added from now on need a new flush. */
    synchronized void flushing() {
        flushScheduled = false;
    }

    synchronized boolean isEmpty() {
        return count == 0;
    }

    /**
     * Copies the wire form of queued frames, from where the last write stopped, into {@code out} until it is full
     * or nothing is left. Returns the bytes copied.
     */
    synchronized int fill(ByteBuffer out) {
        int start = out.position();
        int offset = headOffset;
        for (int i = 0; i < count && out.hasRemaining(); i++) {
            Object frame = ring[(head + i) & (ring.length - 1)];
            int length = wireLength(frame);
            int copied = copy(frame, offset, out);
            if (offset + copied < length) {
                break; // out is full
            }
            offset = 0;
        }
        return out.position() - start;
    }

    /** The socket took {@code bytes} of what was filled: drops the frames now written; returns how many. */
    synchronized int consume(long bytes) {
        int completed = 0;
        long left = bytes;
        while (left > 0 && count > 0) {
            Object frame = ring[head];
            int rest = wireLength(frame) - headOffset;
            if (left < rest) {
                headOffset += (int) left;
                if (pongAt == 0) {
                    pongAt = -1; // begun: the rest of its bytes must follow as they are
                }
                break;
            }
            left -= rest;
            ring[head] = null;
            head = (head + 1) & (ring.length - 1);
            count--;
            headOffset = 0;
            pongAt = Math.max(-1, pongAt - 1);
            completed++;
        }
        if (count == 0 && ring.length > KEEP_CAPACITY) {
            ring = new Object[INITIAL_CAPACITY];
            head = 0;
        }
        return completed;
    }

    /** Drops everything queued (the connection is gone); returns the wire bytes dropped. */
    synchronized long clear() {
        long bytes = -headOffset;
        while (count > 0) {
            bytes += wireLength(ring[head]);
            ring[head] = null;
            head = (head + 1) & (ring.length - 1);
            count--;
        }
        headOffset = 0;
        pongAt = -1;
        return Math.max(0, bytes);
    }

    synchronized int capacity() {
        return ring.length;
    }

    /** Bytes a frame takes on the wire: a text frame's header plus its payload, or a framed control frame. */
    static int wireLength(Object frame) {
        if (frame instanceof EncodedMessage message) {
            return textHeaderLength(message.size()) + message.size();
        }
        return ((byte[]) frame).length;
    }

    static int textHeaderLength(int payload) {
        return payload < 126 ? 2 : payload < 65_536 ? 4 : 10;
    }

    /** Copies the frame's wire bytes from {@code from} into {@code out}, as many as fit; returns the count. */
    private static int copy(Object frame, int from, ByteBuffer out) {
        if (frame instanceof EncodedMessage message) {
            byte[] payload = message.bytes();
            int headerLength = textHeaderLength(payload.length);
            int copied = 0;
            for (int i = from; i < headerLength && out.hasRemaining(); i++) {
                out.put(textHeaderByte(payload.length, i));
                copied++;
            }
            int at = Math.max(0, from - headerLength);
            int n = Math.min(payload.length - at, out.remaining());
            if (n > 0) {
                out.put(payload, at, n);
                copied += n;
            }
            return copied;
        }
        byte[] bytes = (byte[]) frame;
        int n = Math.min(bytes.length - from, out.remaining());
        out.put(bytes, from, n);
        return n;
    }

    /** Byte {@code index} of a server text frame header (unmasked, RFC 6455 §5.2) for a payload of that size. */
    private static byte textHeaderByte(int payload, int index) {
        if (index == 0) {
            return (byte) TEXT_HEADER;
        }
        if (payload < 126) {
            return (byte) payload;
        }
        if (payload < 65_536) {
            return (byte) (index == 1 ? 126 : payload >>> (index == 2 ? 8 : 0));
        }
        if (index == 1) {
            return 127;
        }
        return index < 6 ? 0 : (byte) (payload >>> ((9 - index) * 8));
    }

    private void grow() {
        Object[] bigger = new Object[ring.length * 2];
        for (int i = 0; i < count; i++) {
            bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = bigger;
        head = 0;
    }
}
