package io.squall.examples.device;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wavelength meter stand-in: each read blocks for {@code readTime} (a real one: ~200 ms), like the instrument's own
 * call. Its own state is touched by one pool thread at a time (the poller's pool has one thread), and counted
 * atomically so tests can watch it from outside.
 */
public final class SimulatedDevice implements Device {
    private final Duration readTime;
    private final AtomicLong reads = new AtomicLong();
    private volatile int exposureMs = 10;

    public SimulatedDevice(Duration readTime) {
        this.readTime = readTime;
    }

    @Override
    public Reading read() throws InterruptedException {
        long start = System.nanoTime();
        Thread.sleep(readTime); // the blocking call
        long seq = reads.incrementAndGet();
        double value = 780.0 + 0.001 * exposureMs + 0.0001 * (seq % 7);
        return new Reading(seq, exposureMs, value, (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void setExposure(int exposure) throws InterruptedException {
        Thread.sleep(Math.min(readTime.toMillis(), 5)); // a short command on the same line
        this.exposureMs = exposure;
    }

    /** Reads completed so far (any thread). */
    public long reads() {
        return reads.get();
    }
}
