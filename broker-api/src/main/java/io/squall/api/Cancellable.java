package io.squall.api;

/** A handle to work scheduled on the loop. */
@FunctionalInterface
public interface Cancellable {
    /** Stops the work from running (again). Cancelling twice, or after it ran, is harmless. */
    void cancel();
}
