package io.squall.snap.link;

import java.io.IOException;

/**
 * A serial port opened by path. The bridge reads it from the broker loop (non-blocking), writes it from its own
 * writer thread, and opens it on the worker pool; implementations must allow {@link #close} from any thread at
 * any time, since that is how a blocked write is cut short.
 */
public interface SerialLink {

    /**
     * Opens the port, resolving the configured path afresh (a symlink such as {@code /dev/snap1} may now point at
     * another device), and drops bytes that were waiting from before. May take milliseconds: never call it on the
     * loop.
     *
     * @throws IOException when the port is missing, busy or cannot be configured
     */
    void open() throws IOException;

    /**
     * Reads what is waiting, without blocking.
     *
     * @return the number of bytes put in {@code buf}, 0 when none are waiting
     * @throws IOException when the port is gone (unplugged, pty closed): the caller closes it
     */
    int read(byte[] buf) throws IOException;

    /**
     * Writes all of {@code bytes}; may block while the line drains, so only the writer thread calls it.
     *
     * @throws IOException when the port is closed or gone, or the write times out
     */
    void write(byte[] bytes) throws IOException;

    /**
     * Asks the link to run {@code readable} from a thread of its own whenever bytes are waiting or the port failed,
     * until {@link #close}, so the bridge need not poll. The signal may repeat while the bytes stay unread, so
     * {@code readable} should return only once the loop has read them. Called once after each {@link #open}, on
     * the worker pool.
     *
     * @return false when the link cannot watch its port (then the bridge polls it)
     */
    default boolean watch(Runnable readable) {
        return false;
    }

    /** Closes the port at once; harmless when already closed. */
    void close();

    /** For logs and status: the configured path and what it resolved to. */
    String describe();
}
