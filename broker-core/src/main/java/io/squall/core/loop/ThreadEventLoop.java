package io.squall.core.loop;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.squall.core.metrics.LatencyHistogram;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link EventLoop}: one named platform thread, a bounded task queue, a timer heap and a bounded
 * worker pool for blocking work. A task that throws is logged and counted; the loop lives on.
 */
public final class ThreadEventLoop implements EventLoop, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ThreadEventLoop.class);
    /** tasks run between two looks at the timer heap, so a flood of tasks cannot starve timers */
    private static final int BATCH = 1024;
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Runnable WAKE_UP = () -> {};

    private final String name;
    private final ArrayBlockingQueue<Runnable> tasks;
    private final Queue<Runnable> criticalTasks = new ConcurrentLinkedQueue<>();
    private final TimerQueue timers = new TimerQueue();
    private final ExecutorService workers;
    private final Thread thread;
    private final Timer taskTimer;
    private final Counter taskErrors;
    private final Counter rejected;
    private volatile boolean running = true;

    public ThreadEventLoop(String name, LoopConfig config, MeterRegistry meters) {
        this.name = name;
        this.tasks = new ArrayBlockingQueue<>(config.queueCapacity());
        AtomicInteger workerNumber = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(
                config.workerThreads(),
                config.workerThreads(),
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.workerQueueCapacity()),
                runnable -> {
                    Thread worker = new Thread(runnable, name + "-worker-" + workerNumber.incrementAndGet());
                    worker.setDaemon(true);
                    return worker;
                },
                new ThreadPoolExecutor.AbortPolicy());
        Gauge.builder("broker.loop.queue.size", tasks, Queue::size)
                .description("Tasks waiting for the event loop")
                .register(meters);
        this.taskTimer = LatencyHistogram.of(Timer.builder("broker.loop.task.duration")
                .description("Time the event loop spent in one task"))
                .register(meters);
        this.taskErrors = Counter.builder("broker.loop.task.errors")
                .description("Loop tasks that threw")
                .register(meters);
        this.rejected = Counter.builder("broker.loop.rejected")
                .description("Tasks refused because the loop queue was full")
                .register(meters);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(false);
        this.thread.start();
    }

    @Override
    public void execute(Runnable task) {
        if (Thread.currentThread() == thread) {
            task.run();
            return;
        }
        if (!running) {
            throw new LoopOverloadedException("event loop " + name + " is stopped");
        }
        if (!tasks.offer(task)) {
            rejected.increment();
            throw new LoopOverloadedException("event loop " + name + " queue is full (" + tasks.size() + ")");
        }
    }

    @Override
    public void executeCritical(Runnable task) {
        if (Thread.currentThread() == thread) {
            task.run();
            return;
        }
        criticalTasks.add(task);
        tasks.offer(WAKE_UP); // if the queue is full the loop is busy and drains critical tasks between tasks anyway
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return addTimer(delay, 0, task);
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return addTimer(initialDelay, period.toNanos(), task);
    }

    private Cancellable addTimer(Duration delay, long periodNanos, Runnable task) {
        long deadline = System.nanoTime() + Math.max(0, delay.toNanos());
        if (Thread.currentThread() == thread) {
            TimerQueue.ScheduledTask timer = timers.add(deadline, periodNanos, task);
            timer.loopThread = thread;
            return timer;
        }
        // the heap is loop-owned: hand the insertion over; cancel() before it lands is honoured (the flag is checked)
        CancellableProxy proxy = new CancellableProxy();
        executeCritical(() -> {
            TimerQueue.ScheduledTask timer = timers.add(deadline, periodNanos, task);
            timer.loopThread = thread;
            proxy.bind(timer);
        });
        return proxy;
    }

    @Override
    public <T> void runBlocking(Callable<T> work, BiConsumer<? super T, ? super Throwable> onLoop) {
        try {
            workers.execute(() -> {
                T result;
                try {
                    result = work.call();
                } catch (Throwable failure) {
                    executeCritical(() -> onLoop.accept(null, failure));
                    return;
                }
                executeCritical(() -> onLoop.accept(result, null));
            });
        } catch (RejectedExecutionException e) {
            rejected.increment();
            executeCritical(() -> onLoop.accept(null, new LoopOverloadedException("worker pool of " + name + " is full")));
        }
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    public int queueSize() {
        return tasks.size();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    private void run() {
        while (running || !tasks.isEmpty() || !criticalTasks.isEmpty()) {
            runDueTimers();
            runCriticalTasks();
            Runnable task;
            try {
                long wait = timers.nanosUntilNext(System.nanoTime());
                task = tasks.poll(wait < 0 ? MAX_WAIT_NANOS : Math.min(wait, MAX_WAIT_NANOS), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                running = false;
                continue;
            }
            for (int n = 0; task != null; task = ++n < BATCH ? tasks.poll() : null) {
                runTask(task);
                if ((n & 63) == 63) {
                    runCriticalTasks();
                }
            }
        }
        timers.clear();
        log.debug("event loop {} stopped", name);
    }

    private void runDueTimers() {
        long now = System.nanoTime();
        TimerQueue.ScheduledTask timer;
        while ((timer = timers.pollDue(now)) != null) {
            Runnable task = timer.task();
            if (timer.periodNanos == 0) {
                timer.ran(); // done: a later cancel() is a no-op
            }
            if (task != null) {
                runTask(task);
            }
            if (timer.periodNanos > 0 && !timer.cancelled) {
                long next = timer.deadlineNanos + timer.periodNanos;
                // after a stall, skip missed periods instead of firing a burst
                timers.requeue(timer, next - now > 0 ? next : now + timer.periodNanos);
            }
        }
    }

    private void runCriticalTasks() {
        Runnable task;
        while ((task = criticalTasks.poll()) != null) {
            runTask(task);
        }
    }

    private void runTask(Runnable task) {
        if (task == WAKE_UP) {
            return;
        }
        long start = System.nanoTime();
        try {
            task.run();
        } catch (Throwable failure) {
            taskErrors.increment();
            log.error("event loop task failed; the loop goes on", failure);
        } finally {
            taskTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops taking tasks, runs what is queued, and waits up to {@code timeout} for the thread to end. */
    public void shutdown(Duration timeout) {
        running = false;
        tasks.offer(WAKE_UP);
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("event loop {} did not stop within {}; interrupting", name, timeout);
            thread.interrupt();
        }
        workers.shutdownNow();
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }

    /** Returned for timers scheduled from another thread, before the loop has put them in its heap. */
    private static final class CancellableProxy implements Cancellable {
        private volatile TimerQueue.ScheduledTask timer;
        private volatile boolean cancelled;

        void bind(TimerQueue.ScheduledTask bound) {
            timer = bound;
            if (cancelled) {
                bound.cancel();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            TimerQueue.ScheduledTask bound = timer;
            if (bound != null) {
                bound.cancel();
            }
        }
    }
}
