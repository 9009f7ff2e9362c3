package io.squall.core.loop;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * An {@link EventLoop} for tests: the test thread is the loop, time is virtual and only moves with
 * {@link #advance}, and blocking work runs when {@link #runPending} is called. No sleeps, no threads. In the main
 * sources because the service test kit (broker-testkit) runs services on it.
 */
public final class ManualEventLoop implements EventLoop {
    private final TimerQueue timers = new TimerQueue();
    private final Queue<Runnable> pending = new ArrayDeque<>();
    private long nowNanos;
    private int capacity = Integer.MAX_VALUE;

    /** Makes {@link #execute} from "another thread" (see {@link #submitFromOutside}) refuse past {@code capacity}. */
    public ManualEventLoop withCapacity(int capacity) {
        this.capacity = capacity;
        return this;
    }

    @Override
    public void execute(Runnable task) {
        task.run(); // the caller is on the loop
    }

    /** Queues a task as a transport thread would; refused with {@link LoopOverloadedException} past the capacity. */
    public void submitFromOutside(Runnable task) {
        if (pending.size() >= capacity) {
            throw new LoopOverloadedException("manual loop full");
        }
        pending.add(task);
    }

    @Override
    public void executeCritical(Runnable task) {
        pending.add(task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return timers.add(nowNanos + Math.max(0, delay.toNanos()), 0, task);
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        return timers.add(nowNanos + Math.max(0, initialDelay.toNanos()), period.toNanos(), task);
    }

    @Override
    public <T> void runBlocking(Callable<T> work, BiConsumer<? super T, ? super Throwable> onLoop) {
        pending.add(() -> {
            T result;
            try {
                result = work.call();
            } catch (Throwable failure) {
                onLoop.accept(null, failure);
                return;
            }
            onLoop.accept(result, null);
        });
    }

    @Override
    public boolean inLoop() {
        return true;
    }

    @Override
    public long nanoTime() {
        return nowNanos;
    }

    /** Runs queued tasks (and blocking work) until none is left; returns how many ran. */
    public int runPending() {
        int ran = 0;
        Runnable task;
        while ((task = pending.poll()) != null) {
            task.run();
            ran++;
        }
        return ran;
    }

    /** Moves virtual time forward, running every timer that falls due, in deadline order. */
    public void advance(Duration duration) {
        long target = nowNanos + duration.toNanos();
        TimerQueue.ScheduledTask timer;
        while ((timer = timers.pollDue(target)) != null) {
            nowNanos = Math.max(nowNanos, timer.deadlineNanos);
            Runnable task = timer.task();
            if (timer.periodNanos == 0) {
                timer.ran();
            }
            if (task != null) {
                task.run();
            }
            if (timer.periodNanos > 0 && !timer.cancelled) {
                timers.requeue(timer, timer.deadlineNanos + timer.periodNanos);
            }
            runPending();
        }
        nowNanos = target;
        runPending();
    }

    public int pendingTimers() {
        timers.nanosUntilNext(nowNanos); // drops cancelled heads
        return timers.size();
    }
}
