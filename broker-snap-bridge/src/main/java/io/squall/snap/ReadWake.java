package io.squall.snap;

import io.squall.api.Loop;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns the link's "bytes are waiting" signals, which come from its own thread, into read tasks on the loop, one
 * at a time: while a read task is queued or running, further signals fold into it, so bytes that arrive together
 * are decoded together and a silent port costs the loop nothing. The signalling thread then waits until the loop
 * has read, because the link's readiness is level-triggered ({@code poll(2)} on the descriptor): returning at once
 * would have it signal again and again, spinning, until the loop got to the bytes. One per opened port;
 * {@link #close} releases a waiting thread and turns later signals into no-ops.
 */
final class ReadWake implements Runnable {
    /** Only a guard: the waiter is woken when the read is done or the port closed. */
    private static final long WAIT_MILLIS = 50;

    private final Loop loop;
    private final Runnable read;
    /** Never refused, so a signal is never lost to a full loop queue (one queued at most: {@link #pending}). */
    private final Runnable readSoon;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Object drained = new Object();
    private volatile boolean closed;

    ReadWake(Loop loop, Runnable read) {
        this.loop = loop;
        this.read = read;
        this.readSoon = loop.newSignal(this::readOnLoop);
    }

    /** The link's signal: bytes are waiting or the port failed. Any thread. */
    @Override
    public void run() {
        if (closed) {
            return;
        }
        if (pending.compareAndSet(false, true)) {
            readSoon.run();
        }
        if (loop.inLoop()) {
            return;
        }
        synchronized (drained) {
            while (pending.get() && !closed) {
                try {
                    drained.wait(WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the library stops its event thread this way
                    return;
                }
            }
        }
    }

    private void readOnLoop() {
        try {
            if (!closed) {
                read.run();
            }
        } finally {
            // cleared only after the read: bytes that came meanwhile are still readable, so the next signal sees them
            pending.set(false);
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /** The port is being closed: release the waiting thread and ignore what it signals from now on. */
    void close() {
        closed = true;
        synchronized (drained) {
            drained.notifyAll();
        }
    }
}
