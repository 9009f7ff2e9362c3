package io.squall.core.api;

import io.squall.api.OverloadedException;
import io.squall.api.WorkerPool;
import io.squall.core.loop.EventLoop;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A service's own bounded pool: fixed threads, a bounded queue, refusal (never a wait) past it. Results hop back
 * with {@link EventLoop#executeCritical}: their number is bounded by threads plus queue, and a result must not be
 * lost under overload (a call would never be answered).
 */
final class ServiceWorkerPool implements WorkerPool {
    private final String name;
    private final EventLoop loop;
    private final ThreadPoolExecutor executor;
    private final int queueCapacity;
    private volatile boolean closed;

    ServiceWorkerPool(String name, int threads, int queueCapacity, EventLoop loop) {
        if (threads < 1 || queueCapacity < 0) {
            throw new IllegalArgumentException("worker pool " + name + ": threads must be at least 1 and the queue"
                    + " at least 0, were " + threads + " and " + queueCapacity);
        }
        this.name = name;
        this.loop = loop;
        this.queueCapacity = queueCapacity;
        AtomicInteger number = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                queueCapacity == 0 ? new java.util.concurrent.SynchronousQueue<>()
                        : new ArrayBlockingQueue<>(queueCapacity),
                runnable -> {
                    Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public <T> void run(Callable<T> work, BiConsumer<? super T, ? super Throwable> onLoop) {
        try {
            executor.execute(() -> {
                T result;
                try {
                    result = work.call();
                } catch (Throwable failure) {
                    deliver(onLoop, null, failure);
                    return;
                }
                deliver(onLoop, result, null);
            });
        } catch (RejectedExecutionException e) {
            OverloadedException overloaded = new OverloadedException("worker pool " + name + " is full ("
                    + executor.getMaximumPoolSize() + " busy, " + queueCapacity + " waiting)");
            if (loop.inLoop()) {
                onLoop.accept(null, overloaded);
            } else {
                loop.executeCritical(() -> onLoop.accept(null, overloaded));
            }
        }
    }

    /** Hands a result to the loop, unless the pool was shut down meanwhile (the service is stopped: nobody waits). */
    private <T> void deliver(BiConsumer<? super T, ? super Throwable> onLoop, T result, Throwable failure) {
        loop.executeCritical(() -> {
            if (!closed) {
                onLoop.accept(result, failure);
            }
        });
    }

    @Override
    public int threads() {
        return executor.getMaximumPoolSize();
    }

    @Override
    public int queueCapacity() {
        return queueCapacity;
    }

    /** Interrupts running work; queued work never starts. */
    void shutdown() {
        closed = true;
        executor.shutdownNow();
    }
}
