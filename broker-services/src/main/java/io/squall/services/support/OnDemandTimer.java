package io.squall.services.support;

import io.squall.api.Loop;
import io.squall.api.PeriodicCallback;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A periodic task that runs only while it has work: it stops itself when {@code tick} says there is none left. */
public final class OnDemandTimer {
    private final Loop loop;
    private final Duration period;
    private final BooleanSupplier tick;
    private PeriodicCallback running;

    public OnDemandTimer(Loop loop, Duration period, BooleanSupplier tick) {
        this.loop = loop;
        this.period = period;
        this.tick = tick;
    }

    /** Starts the timer unless it runs already. Loop thread. */
    public void ensureRunning() {
        if (running != null && running.isRunning()) {
            return;
        }
        running = loop.runPeriodically(period, () -> {
            if (!tick.getAsBoolean()) {
                running.stop();
            }
        });
    }
}
