package io.squall.bench.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whether one resource (heap after GC, descriptors, threads) grows over a run. Only samples after the warm-up count
 * (caches fill, the JIT settles, connections open). Two estimates of the rise must both pass the tolerance for the
 * resource to be judged growing:
 * <ul>
 *   <li>the median of the last third of the samples minus the median of the first third (medians: a sample taken
 *       while an attack holds a megabyte, or a burst of churn holds descriptors, does not move them), and</li>
 *   <li>the least-squares slope over all of them times the span they cover (a steady leak rises along the whole
 *       run, not only between two thirds).</li>
 * </ul>
 * A one-off step between the thirds that the fit does not confirm, or a slope made of noise that the medians do not
 * show, is not a leak. The tolerance is {@code max(absolute, relative * first-third median)}.
 */
record Trend(String name, int samples, double firstMedian, double lastMedian, double fittedRise, double tolerance,
        boolean judged) {
    /** Fewer samples than this after the warm-up (two per third) and the trend is not judged. */
    static final int MIN_SAMPLES = 6;

    static Trend of(String name, double[] seconds, double[] values, double absolute, double relative) {
        int n = values.length;
        if (n < MIN_SAMPLES) {
            return new Trend(name, n, Double.NaN, Double.NaN, Double.NaN, absolute, false);
        }
        int third = n / 3;
        double first = median(Arrays.copyOfRange(values, 0, third));
        double last = median(Arrays.copyOfRange(values, n - third, n));
        double slope = slope(seconds, values);
        double rise = slope * (seconds[n - 1] - seconds[0]);
        double tolerance = Math.max(absolute, relative * first);
        return new Trend(name, n, first, last, rise, tolerance, true);
    }

    boolean growing() {
        return judged && lastMedian - firstMedian > tolerance && fittedRise > tolerance;
    }

    String verdict() {
        if (!judged) {
            return "not judged (" + samples + " samples after warm-up, " + MIN_SAMPLES + " needed)";
        }
        return String.format(Locale.ROOT, "%s: medians %s -> %s, fitted rise %s, tolerance %s",
                growing() ? "GROWING" : "flat", fmt(firstMedian), fmt(lastMedian), fmt(fittedRise), fmt(tolerance));
    }

    private String fmt(double value) {
        return name.startsWith("heap") ? String.format(Locale.ROOT, "%.2f MiB", value / (1 << 20))
                : String.format(Locale.ROOT, "%.1f", value);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Ordinary least-squares slope of {@code y} over {@code x}. */
    static double slope(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    /** The three resources of a run, from its samples taken after {@code warmupSeconds}. */
    static List<Trend> all(List<Sample> samples, double warmupSeconds, Tolerances tolerances) {
        List<Sample> kept = samples.stream().filter(s -> s.seconds() >= warmupSeconds && s.complete()).toList();
        double[] t = kept.stream().mapToDouble(Sample::seconds).toArray();
        List<Trend> trends = new ArrayList<>();
        trends.add(of("heap after GC", t, kept.stream().mapToDouble(Sample::heapBytes).toArray(),
                tolerances.heapBytes(), tolerances.heapRelative()));
        trends.add(of("descriptors", t, kept.stream().mapToDouble(Sample::fds).toArray(),
                tolerances.fds(), tolerances.fdsRelative()));
        trends.add(of("threads", t, kept.stream().mapToDouble(Sample::threads).toArray(),
                tolerances.threads(), tolerances.threadsRelative()));
        return trends;
    }

    /** How much each resource may rise between the thirds before it counts as growing. */
    record Tolerances(double heapBytes, double heapRelative, double fds, double fdsRelative, double threads,
            double threadsRelative) {
        /**
         * Heap: 4 MiB (an attack caught mid-way holds up to {@code max.queued.bytes}, 1 MiB) or 10 %; descriptors:
         * 64 (churn keeps up to 50 connections in flight and a round of attacks 5) or 10 %; threads: 2 or 5 %.
         */
        static final Tolerances DEFAULT = new Tolerances(4 << 20, 0.10, 64, 0.10, 2, 0.05);
    }
}
