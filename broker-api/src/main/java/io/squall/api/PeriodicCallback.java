package io.squall.api;

/**
 * Work repeated on the loop until stopped (Tornado's {@code PeriodicCallback}): from {@link Loop#runPeriodically} or
 * {@link Loop#refreshForever}. The broker stops every one at shutdown.
 */
public interface PeriodicCallback {

    /** No further run starts; a refresh already reading on a worker delivers nothing. Stopping twice is harmless. */
    void stop();

    /** False once stopped (by {@link #stop} or by the broker's shutdown). */
    boolean isRunning();
}
