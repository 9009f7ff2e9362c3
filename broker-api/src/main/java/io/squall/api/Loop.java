package io.squall.api;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * The broker's event loop, the one thread that owns every service's state, with the patterns Tornado users know.
 * Everything here may be called on the loop; {@link #runSoon} also from any other thread.
 *
 * <ul>
 *   <li>{@link #runSoon}: {@code IOLoop.add_callback}</li>
 *   <li>{@link #runLater}: {@code IOLoop.call_later}</li>
 *   <li>{@link #runPeriodically}: {@code PeriodicCallback(callback, period).start()}</li>
 *   <li>{@link #runOnExecutor}: {@code @run_on_executor}, the result back on the loop</li>
 *   <li>{@link #refreshForever}: the "each refresh schedules the next" idiom, e.g. polling a slow device</li>
 * </ul>
 *
 * <p>Never block the loop: a read from a device, a file, a database or a remote call goes to
 * {@link #runOnExecutor} or a {@link WorkerPool}.
 */
public interface Loop {

    /**
     * Runs {@code task} on the loop after the current task (never inside it). From another thread it is queued
     * behind earlier tasks.
     *
     * @throws OverloadedException from another thread, when the loop's bounded queue is full
     */
    void runSoon(Runnable task);

    /** Runs {@code task} on the loop once, after {@code delay}. */
    Cancellable runLater(Duration delay, Runnable task);

    /**
     * Runs {@code task} on the loop every {@code period}, the first time after one period. After a stall, missed runs
     * are skipped, not fired in a burst. Stopped by {@link PeriodicCallback#stop} or at shutdown.
     */
    PeriodicCallback runPeriodically(Duration period, Runnable task);

    /**
     * Runs blocking {@code work} on the broker's shared worker pool ({@code worker.threads}) and calls
     * {@code onLoop} on the loop with its result or failure. When the pool's bounded queue is full, {@code onLoop}
     * gets an {@link OverloadedException}. For long or numerous jobs, use a pool of your own ({@link #newWorkerPool}).
     */
    <T> void runOnExecutor(Callable<T> work, BiConsumer<? super T, ? super Throwable> onLoop);

    /**
     * A pool of {@code threads} threads and {@code queueCapacity} waiting jobs, for this service alone; its threads
     * are interrupted at shutdown.
     */
    WorkerPool newWorkerPool(String name, int threads, int queueCapacity);

    /**
     * Reads {@code read} on {@code pool} again and again: each result (or failure) goes to {@code onLoop} on the loop,
     * then the next read starts after {@code pause} (zero: at once). One read runs at a time, never piling up behind
     * a slow device. {@link PeriodicCallback#stop} (or the broker's shutdown) ends it: no further read starts, and
     * a read in progress delivers nothing.
     */
    <T> PeriodicCallback refreshForever(WorkerPool pool, Callable<T> read, Duration pause,
            BiConsumer<? super T, ? super Throwable> onLoop);

    /**
     * A signal that any thread may raise (a device library's callback thread, a writer thread) to run {@code task}
     * on the loop. Raises that come while a run is queued fold into it, so at most one run per signal is ever queued,
     * and it is never refused, even when the loop's queue is full ({@link #runSoon} may refuse). A raise during a run
     * queues the next one, so nothing raised is missed; raised on the loop thread, the task runs at once. After
     * shutdown a raise does nothing.
     */
    Runnable newSignal(Runnable task);

    /** The loop's wall clock: the time to stamp on what the service publishes (a test's manual loop moves it). */
    Instant now();

    /** The loop's monotonic clock in nanoseconds, for intervals and ages (a test's manual loop moves it). */
    long nanoTime();

    /** True on the loop thread. */
    boolean inLoop();

    /**
     * Fails with {@link IllegalStateException} off the loop: put it at the top of methods that touch service state,
     * so that tests catch a call from the wrong thread (no locks needed).
     */
    default void checkInLoop() {
        if (!inLoop()) {
            throw new IllegalStateException("not on the event loop (thread " + Thread.currentThread().getName() + ")");
        }
    }
}
