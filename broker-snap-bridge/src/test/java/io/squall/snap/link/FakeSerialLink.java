package io.squall.snap.link;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/** A {@link SerialLink} in memory: tests feed it bytes, unplug and replug it, and read what was written. */
public final class FakeSerialLink implements SerialLink {
    private final Queue<byte[]> inbound = new ArrayDeque<>();
    private final List<byte[]> written = new ArrayList<>();
    private boolean present = true;
    private boolean open;
    private boolean failWrites;
    private boolean shutDown;
    private int opens;
    private int attempts;
    private int closes;
    private boolean watchable;
    private Runnable watcher;
    private int watches;

    /** Bytes the "node" sends; read on the next poll. */
    public void feed(byte[] bytes) {
        inbound.add(bytes.clone());
    }

    /** The device disappears: reads fail from now on, and opening fails until {@link #plugIn}. */
    public void unplug() {
        present = false;
    }

    /** The serial library closed the port because the JVM is stopping: reads fail as jSerialCommLink's do then. */
    public void shutDown() {
        shutDown = true;
    }

    public void plugIn() {
        present = true;
    }

    /** Whether {@link #watch} succeeds, as on Linux, or is refused, as on Windows (the default). */
    public void offerReadiness(boolean offer) {
        watchable = offer;
    }

    /** What the link's event thread does when bytes arrived or the port hung up: runs the last watcher. */
    public void signal() {
        if (watcher != null) {
            watcher.run();
        }
    }

    /** Watches granted. */
    public int watches() {
        return watches;
    }

    public void failWrites(boolean fail) {
        failWrites = fail;
    }

    public List<byte[]> written() {
        return written;
    }

    public boolean isOpen() {
        return open;
    }

    public int opens() {
        return opens;
    }

    /** Calls to {@link #open}, failed ones included. */
    public int attempts() {
        return attempts;
    }

    public int closes() {
        return closes;
    }

    @Override
    public void open() throws IOException {
        attempts++;
        if (!present) {
            throw new IOException("fake port missing");
        }
        opens++;
        open = true;
        inbound.clear(); // like flushIOBuffers()
    }

    @Override
    public int read(byte[] buf) throws IOException {
        if (!open) {
            throw new IOException("port closed");
        }
        if (shutDown) {
            throw new PortClosedAtShutdownException("fake");
        }
        if (!present) {
            throw new IOException("fake port disconnected");
        }
        byte[] next = inbound.peek();
        if (next == null) {
            return 0;
        }
        int n = Math.min(buf.length, next.length);
        System.arraycopy(next, 0, buf, 0, n);
        inbound.poll();
        if (n < next.length) {
            byte[] rest = new byte[next.length - n];
            System.arraycopy(next, n, rest, 0, rest.length);
            ((ArrayDeque<byte[]>) inbound).addFirst(rest);
        }
        return n;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        if (!open || failWrites || !present) {
            throw new IOException("fake write refused");
        }
        written.add(bytes.clone());
    }

    @Override
    public boolean watch(Runnable readable) {
        if (!watchable) {
            return false;
        }
        watches++;
        watcher = readable;
        return true;
    }

    @Override
    public void close() {
        if (open) {
            closes++;
        }
        open = false;
    }

    @Override
    public String describe() {
        return "fake";
    }
}
