package io.squall.core.loop;

/** A handle to a scheduled task. */
@FunctionalInterface
public interface Cancellable {
    /** Stops the task from running (again). Cancelling twice, or after it ran, is harmless. */
    void cancel();
}
