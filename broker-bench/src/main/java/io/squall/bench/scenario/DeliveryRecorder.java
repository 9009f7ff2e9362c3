package io.squall.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.squall.bench.proto.Marker;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Counts and times the deliveries of the current step on the generator's loop thread: latency runs from the
 * publication's intended send time (stamped in its payload) to its arrival, so a stalled broker or publisher
 * shows up as latency and never hides as fewer samples (no coordinated omission). Deliveries stamped with an
 * earlier step arrive late and are counted apart.
 */
final class DeliveryRecorder extends Counters {
    private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(300);

    private final EventLoop loop;
    // loop thread only
    private Histogram histogram = new Histogram(MAX_MICROS, 3);
    private int step = -1;
    private long delivered;
    private long late;
    private long unmarked;
    private long lastNanos;

    DeliveryRecorder(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public void delivered(ByteBuf buf, int from, int to) {
        int at = Marker.find(buf, from, to);
        if (at < 0) {
            unmarked++;
            return;
        }
        long now = System.nanoTime();
        if (Marker.step(buf, at) != step) {
            late++;
            return;
        }
        delivered++;
        lastNanos = now;
        long micros = (now - Marker.intendedNanos(buf, at)) / 1000;
        histogram.recordValue(Math.max(0, Math.min(MAX_MICROS, micros)));
    }

    /** Starts counting for {@code newStep} (0..255) with an empty histogram. */
    void begin(int newStep) {
        Steps.await(loop.submit(() -> {
            step = newStep;
            histogram = new Histogram(MAX_MICROS, 3);
            delivered = 0;
            late = 0;
            unmarked = 0;
            lastNanos = 0;
        }));
    }

    /** Deliveries of the current step so far (cheap: for polling, no histogram copy). */
    long delivered() {
        return Steps.await(loop.submit(() -> delivered));
    }

    Snapshot snapshot() {
        return Steps.await(loop.submit(() -> new Snapshot(delivered, late, unmarked, lastNanos, histogram.copy())));
    }

    /** The current step's counts; the histogram is a copy in microseconds. */
    record Snapshot(long delivered, long late, long unmarked, long lastNanos, Histogram histogram) {
        double millis(double percentile) {
            return histogram.getTotalCount() == 0 ? Double.NaN
                    : Math.round(histogram.getValueAtPercentile(percentile) / 10.0) / 100.0;
        }
    }
}
