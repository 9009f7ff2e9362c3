package io.squall.bench.soak;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/** What one kind of receiver (fan-out, churn, SNAP) got, summed over its connections. */
final class Tally {
    final String name;
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong outOfOrder = new AtomicLong();
    /** skipped numbers, counted as they show (churn); fan-out and SNAP add their missing tails at the end */
    final AtomicLong lost = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    /** connections the broker closed although they behaved */
    final AtomicLong unexpectedCloses = new AtomicLong();
    /** publish-to-receive latency in microseconds */
    final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(3_600_000_000L, 3);
    private final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();

    Tally(String name) {
        this.name = name;
    }

    void error(String what) {
        errors.incrementAndGet();
        note(what);
    }

    void note(String what) {
        if (firstErrors.size() < 5) {
            firstErrors.add(what);
        }
    }

    void latency(long sentNanos) {
        long micros = Math.max(0, (System.nanoTime() - sentNanos) / 1000);
        latencyMicros.recordValue(Math.min(micros, latencyMicros.getHighestTrackableValue()));
    }

    String firstErrors() {
        return String.join("; ", firstErrors);
    }
}
