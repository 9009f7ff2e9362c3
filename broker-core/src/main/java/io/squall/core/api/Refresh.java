package io.squall.core.api;

import io.squall.api.PeriodicCallback;
import io.squall.api.WorkerPool;
import io.squall.core.loop.Cancellable;
import io.squall.core.loop.EventLoop;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "refresh forever" idiom: read on a pool, deliver on the loop, schedule the next read. One read at a time, so a
 * slow device never has reads piling up; a failed read waits at least {@link #MIN_PAUSE_AFTER_FAILURE} (a device
 * that is offline is not hammered). Loop thread only.
 */
final class Refresh<T> implements PeriodicCallback {
    private static final Logger log = LoggerFactory.getLogger(Refresh.class);
    static final Duration MIN_PAUSE_AFTER_FAILURE = Duration.ofMillis(100);

    private final EventLoop loop;
    private final WorkerPool pool;
    private final Callable<T> read;
    private final Duration pause;
    private final BiConsumer<? super T, ? super Throwable> onLoop;
    private boolean running = true;
    private Cancellable next;

    Refresh(EventLoop loop, WorkerPool pool, Callable<T> read, Duration pause,
            BiConsumer<? super T, ? super Throwable> onLoop) {
        if (pause.isNegative()) {
            throw new IllegalArgumentException("the pause between refreshes must not be negative: " + pause);
        }
        this.loop = loop;
        this.pool = pool;
        this.read = read;
        this.pause = pause;
        this.onLoop = onLoop;
    }

    void start() {
        if (running) {
            pool.run(read, this::delivered);
        }
    }

    private void delivered(T result, Throwable failure) {
        if (!running) {
            return; // stopped while reading: the result belongs to nobody
        }
        try {
            onLoop.accept(result, failure);
        } catch (RuntimeException e) {
            log.error("a refresh callback failed; the refresh goes on", e);
        }
        if (!running) {
            return; // the callback stopped it
        }
        Duration wait = failure == null ? pause : max(pause, MIN_PAUSE_AFTER_FAILURE);
        if (wait.isZero()) {
            start();
        } else {
            next = loop.schedule(wait, this::start);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public void stop() {
        running = false;
        if (next != null) {
            next.cancel();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
