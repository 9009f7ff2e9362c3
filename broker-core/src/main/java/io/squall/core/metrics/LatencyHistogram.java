package io.squall.core.metrics;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The fixed buckets every latency timer of the broker publishes as a Prometheus histogram ({@code _bucket} series),
 * from 100 µs to 10 s: few enough that a scrape stays small and a recording stays a binary search and an increment,
 * fine enough that {@code histogram_quantile} answers within a factor of about 2.5 anywhere in the range.
 */
public final class LatencyHistogram {
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    };

    private LatencyHistogram() {}

    /** {@code builder} with the broker's latency buckets (and no client-side percentiles: Prometheus computes them). */
    public static Timer.Builder of(Timer.Builder builder) {
        return builder.serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1]);
    }

    /** The upper bounds, in seconds, as Prometheus labels them ({@code le}). */
    public static double[] boundsSeconds() {
        double[] seconds = new double[BUCKETS.length];
        for (int i = 0; i < BUCKETS.length; i++) {
            seconds[i] = BUCKETS[i].toNanos() / 1e9;
        }
        return seconds;
    }
}
