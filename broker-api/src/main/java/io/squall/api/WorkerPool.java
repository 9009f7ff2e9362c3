package io.squall.api;

import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * A bounded pool of threads for blocking work, with a bounded queue: Tornado's {@code run_on_executor} with an
 * executor of the service's own, so its slow work does not starve other services' (see {@link Loop#newWorkerPool}).
 */
public interface WorkerPool {

    /**
     * Runs {@code work} on a thread of this pool and calls {@code onLoop} on the loop with its result, or its
     * failure. When every thread is busy and the queue is full, {@code onLoop} gets an {@link OverloadedException}
     * instead (never a wait).
     */
    <T> void run(Callable<T> work, BiConsumer<? super T, ? super Throwable> onLoop);

    /** The number of threads. */
    int threads();

    /** How many jobs may wait for a thread. */
    int queueCapacity();
}
