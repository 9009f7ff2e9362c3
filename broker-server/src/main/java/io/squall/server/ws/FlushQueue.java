package io.squall.server.ws;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one IO thread that have frames waiting. A publication to N subscribers marks them here, and
 * only the mark that finds the queue empty hands a task to the IO thread: one task (and one wake-up) per IO thread
 * per publication or batch, not one per subscriber. The task flushes every marked connection in mark order.
 *
 * <p>Marks come from any thread (mostly the loop); the drain runs only on the IO thread, which also owns the
 * write buffer the connections' frames are copied into and the flush counters.
 */
final class FlushQueue implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(FlushQueue.class);
    private static final VarHandle FLUSHES;
    private static final VarHandle FRAMES;

    static {
        try {
            var lookup = MethodHandles.lookup();
            FLUSHES = lookup.findVarHandle(FlushQueue.class, "flushes", long.class);
            FRAMES = lookup.findVarHandle(FlushQueue.class, "frames", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A connection as its flush queue sees it (a {@link WsClient}; small fakes in tests). */
    interface Target {
        /** IO thread: writes what is queued with one flush; returns the frames written (0: nothing to write). */
        int flush(FlushQueue queue);

        /** IO thread: the flush threw; the connection is to be dropped. */
        void abort();

        String describe();
    }

    private final Executor ioThread;
    private ArrayList<Target> marked = new ArrayList<>(); // guarded by this
    private ArrayList<Target> draining = new ArrayList<>(); // IO thread only
    /** one system call writes up to this much of a connection's queued frames */
    static final int WRITE_BUFFER_BYTES = 64 * 1024;
    private ByteBuffer writeBuffer; // IO thread only; made with the first write
    // written by the IO thread once per drain (opaque), read by metrics from any thread
    private long flushes;
    private long frames;

    FlushQueue(Executor ioThread) {
        this.ioThread = ioThread;
    }

    /** Any thread: {@code client} has frames waiting; it must not be marked again until its flush has begun. */
    void mark(Target client) {
        boolean schedule;
        synchronized (this) {
            schedule = marked.isEmpty();
            marked.add(client);
        }
        if (schedule) {
            try {
                ioThread.execute(this);
            } catch (RejectedExecutionException e) {
                // the IO thread is stopping: forget the marks, or no later mark would ever schedule a drain again
                synchronized (this) {
                    marked.clear();
                }
                throw e;
            }
        }
    }

    /** IO thread: flushes every connection marked so far. */
    @Override
    public void run() {
        ArrayList<Target> batch;
        synchronized (this) {
            batch = marked;
            marked = draining;
        }
        draining = batch;
        long flushed = 0;
        long framesOut = 0;
        try {
            for (int i = 0, n = batch.size(); i < n; i++) {
                Target client = batch.get(i);
                try {
                    int written = client.flush(this);
                    if (written > 0) {
                        flushed++;
                        framesOut += written;
                    }
                } catch (RuntimeException e) {
                    // one broken connection must not strand the others marked with it
                    log.warn("flush to {} failed", client.describe(), e);
                    client.abort();
                }
            }
        } finally {
            batch.clear();
            FLUSHES.setOpaque(this, (long) FLUSHES.getOpaque(this) + flushed);
            FRAMES.setOpaque(this, (long) FRAMES.getOpaque(this) + framesOut);
        }
    }

    /**
     * IO thread: the buffer frames are copied into for writing (direct, so the socket write copies nothing more),
     * shared by every connection of this IO thread because only one writes at a time.
     */
    ByteBuffer writeBuffer() {
        if (writeBuffer == null) {
            writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
        }
        return writeBuffer;
    }

    long flushes() {
        return (long) FLUSHES.getOpaque(this);
    }

    long frames() {
        return (long) FRAMES.getOpaque(this);
    }
}
