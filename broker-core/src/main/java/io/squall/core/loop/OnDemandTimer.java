package io.squall.core.loop;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A periodic task that runs only while there is work for it: started by {@link #ensureRunning} when work appears,
 * it stops itself when a run says there is nothing left, so an idle broker costs the loop no wakeups. Loop only.
 */
public final class OnDemandTimer {
    private final EventLoop loop;
    private final Duration period;
    private final BooleanSupplier task;
    private Cancellable timer;

    /** @param task one run; returns whether there is still work, i.e. whether to keep running */
    public OnDemandTimer(EventLoop loop, Duration period, BooleanSupplier task) {
        this.loop = loop;
        this.period = period;
        this.task = task;
    }

    public void ensureRunning() {
        if (timer == null) {
            timer = loop.scheduleAtFixedRate(period, period, this::tick);
        }
    }

    private void tick() {
        if (!task.getAsBoolean()) {
            stop();
        }
    }

    public void stop() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
