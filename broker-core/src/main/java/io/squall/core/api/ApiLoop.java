package io.squall.core.api;

import io.squall.api.Cancellable;
import io.squall.api.Loop;
import io.squall.api.OverloadedException;
import io.squall.api.PeriodicCallback;
import io.squall.api.WorkerPool;
import io.squall.core.loop.EventLoop;
import io.squall.core.loop.LoopOverloadedException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * One service's view of the {@link EventLoop}. It remembers what the service started (periodic callbacks, refreshes,
 * pending timers, pools) so that {@link #stop} ends all of it at shutdown; after that, results still arriving from
 * workers are dropped rather than handed to a stopped service.
 */
final class ApiLoop implements Loop {
    private final EventLoop loop;
    private final InstantSource clock;
    private final String owner;
    private final Set<PeriodicCallback> periodic = new LinkedHashSet<>();
    private final Set<io.squall.core.loop.Cancellable> timers = new LinkedHashSet<>();
    private final List<ServiceWorkerPool> pools = new ArrayList<>();
    /** Read by signals raised from other threads. */
    private volatile boolean stopped;

    ApiLoop(EventLoop loop, InstantSource clock, String owner) {
        this.loop = loop;
        this.clock = clock;
        this.owner = owner;
    }

    @Override
    public void runSoon(Runnable task) {
        if (loop.inLoop()) {
            loop.schedule(Duration.ZERO, task); // after the current task, as add_callback
            return;
        }
        try {
            loop.execute(task);
        } catch (LoopOverloadedException e) {
            throw new OverloadedException(e.getMessage());
        }
    }

    @Override
    public Cancellable runLater(Duration delay, Runnable task) {
        checkInLoop();
        io.squall.core.loop.Cancellable[] handle = new io.squall.core.loop.Cancellable[1];
        handle[0] = loop.schedule(delay, () -> {
            timers.remove(handle[0]);
            task.run();
        });
        timers.add(handle[0]);
        return () -> {
            handle[0].cancel();
            timers.remove(handle[0]);
        };
    }

    @Override
    public PeriodicCallback runPeriodically(Duration period, Runnable task) {
        checkInLoop();
        io.squall.core.loop.Cancellable timer = loop.scheduleAtFixedRate(period, period, task);
        PeriodicCallback callback = new PeriodicCallback() {
            private boolean running = true;

            @Override
            public void stop() {
                running = false;
                timer.cancel();
                periodic.remove(this);
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
        periodic.add(callback);
        return callback;
    }

    @Override
    public <T> void runOnExecutor(Callable<T> work, BiConsumer<? super T, ? super Throwable> onLoop) {
        loop.runBlocking(work, (result, failure) -> {
            if (!stopped) {
                onLoop.accept(result, failure instanceof LoopOverloadedException
                        ? new OverloadedException(failure.getMessage()) : failure);
            }
        });
    }

    @Override
    public WorkerPool newWorkerPool(String name, int threads, int queueCapacity) {
        checkInLoop();
        ServiceWorkerPool pool = new ServiceWorkerPool("squall-" + owner + "-" + name, threads, queueCapacity, loop);
        pools.add(pool);
        return pool;
    }

    @Override
    public <T> PeriodicCallback refreshForever(WorkerPool pool, Callable<T> read, Duration pause,
            BiConsumer<? super T, ? super Throwable> onLoop) {
        checkInLoop();
        Refresh<T> refresh = new Refresh<>(loop, pool, read, pause, onLoop);
        periodic.add(refresh);
        refresh.start();
        return refresh;
    }

    @Override
    public Runnable newSignal(Runnable task) {
        AtomicBoolean queued = new AtomicBoolean();
        Runnable run = () -> {
            queued.set(false); // before the task: a raise during it queues the next run
            if (!stopped) {
                task.run();
            }
        };
        return () -> {
            if (!stopped && queued.compareAndSet(false, true)) {
                loop.executeCritical(run); // one queued at most per signal: may bypass the bounded queue
            }
        };
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public long nanoTime() {
        return loop.nanoTime();
    }

    @Override
    public boolean inLoop() {
        return loop.inLoop();
    }

    /** Stops every timer, periodic callback and refresh, then interrupts the service's pools. Loop thread. */
    void stop() {
        stopped = true;
        List.copyOf(periodic).forEach(PeriodicCallback::stop);
        periodic.clear();
        timers.forEach(io.squall.core.loop.Cancellable::cancel);
        timers.clear();
        pools.forEach(ServiceWorkerPool::shutdown);
    }
}
