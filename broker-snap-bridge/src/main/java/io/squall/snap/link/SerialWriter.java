package io.squall.snap.link;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Writes frames to the link in order on one thread of its own, so the loop never waits on the line (38400 baud
 * drains about 4 bytes a millisecond). Its queue is bounded: a full queue refuses the frame at once.
 */
public final class SerialWriter implements AutoCloseable {
    private final Executor executor;

    /** The outcome of one write, reported back on the loop. */
    public record Outcome(boolean written, IOException failure) {}

    public SerialWriter(Executor executor) {
        this.executor = executor;
    }

    /** A writer with one daemon thread named {@code snap-serial-writer} and room for {@code capacity} frames. */
    public static SerialWriter threaded(int capacity) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(capacity), runnable -> {
                    Thread thread = new Thread(runnable, "snap-serial-writer");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        return new SerialWriter(executor);
    }

    /**
     * Queues {@code bytes} for {@code link}. {@code done} is called on the writer thread once the bytes were
     * handed to the port (or failed); the caller hops back to its loop.
     *
     * @return false when the queue is full and the frame was not queued
     */
    public boolean submit(SerialLink link, byte[] bytes, Consumer<Outcome> done) {
        try {
            executor.execute(() -> {
                try {
                    link.write(bytes);
                    done.accept(new Outcome(true, null));
                } catch (IOException e) {
                    done.accept(new Outcome(false, e));
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (executor instanceof ExecutorService service) {
            service.shutdownNow();
        }
    }
}
