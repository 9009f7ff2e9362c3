package io.squall.core.loop;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * The one thread that owns all service state (Tornado's IOLoop idea). Transports hop onto it with
 * {@link #execute}; services schedule timeouts and periodic work on it and hand blocking work to
 * {@link #runBlocking}, whose result comes back on the loop.
 */
public interface EventLoop {

    /**
     * Runs {@code task} on the loop as soon as possible: at once when called on the loop thread (so a service's
     * own follow-ups are never reordered), otherwise queued behind earlier tasks.
     *
     * @throws LoopOverloadedException when the bounded queue is full; the caller answers "Overloaded"
     */
    void execute(Runnable task);

    /**
     * Like {@link #execute} from another thread but never rejected: for lifecycle events whose number is bounded
     * by the number of connections (connect, disconnect, replies to requests already accepted), which must not be
     * lost under overload or state would leak.
     */
    void executeCritical(Runnable task);

    /** Runs {@code task} on the loop once, after {@code delay}. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} on the loop every {@code period}, first after {@code initialDelay}. */
    Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task);

    /**
     * Runs blocking {@code work} on the bounded worker pool and calls {@code onLoop} with its result or failure on
     * the loop. If the pool's queue is full, {@code onLoop} gets a {@link LoopOverloadedException} instead.
     */
    <T> void runBlocking(Callable<T> work, BiConsumer<? super T, ? super Throwable> onLoop);

    /** True on the loop thread. */
    boolean inLoop();

    /** The loop's monotonic clock in nanoseconds (virtual in tests). */
    long nanoTime();

    /** Fails fast when service code is called off the loop: a cheap check that keeps the threading contract honest. */
    default void checkInLoop() {
        if (!inLoop()) {
            throw new IllegalStateException(
                    "not on the event loop (thread " + Thread.currentThread().getName() + ")");
        }
    }
}
