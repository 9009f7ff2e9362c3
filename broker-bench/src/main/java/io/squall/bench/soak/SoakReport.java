package io.squall.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/** The verdict of a run: every failure found, and the summary table of its figures. */
final class SoakReport {
    private final Soak soak;
    private final List<Trend> trends;
    private final List<String> failures = new ArrayList<>();
    private final long errorLines;
    private final boolean outOfMemory;

    SoakReport(Soak soak) {
        this.soak = soak;
        this.trends = Trend.all(soak.samples, soak.options().warmup().toMillis() / 1000.0, Trend.Tolerances.DEFAULT);
        String logText = soak.broker.logText();
        this.errorLines = logText.lines().filter(l -> l.contains(" ERROR [")).count();
        this.outOfMemory = logText.contains("OutOfMemoryError");
        judge();
    }

    boolean passed() {
        return failures.isEmpty();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    private void judge() {
        if (soak.brokerDied) {
            failures.add("the broker process died during the run");
        }
        if (outOfMemory) {
            failures.add("the broker logged an OutOfMemoryError");
        }
        if (soak.exitCode != 0 && soak.exitCode != 143) {
            failures.add("the broker exited with " + soak.exitCode + " after SIGTERM (0 or 143 expected)");
        }
        for (Tally tally : List.of(soak.fan, soak.snap, soak.churn.tally)) {
            check(tally.lost.get(), tally.name + ": messages lost", tally);
            check(tally.outOfOrder.get(), tally.name + ": messages out of order or repeated", tally);
            check(tally.errors.get(), tally.name + ": errors", tally);
            check(tally.unexpectedCloses.get(), tally.name + ": connections closed by the broker", tally);
        }
        check(soak.ws.refused.get() + soak.http.refused.get(), "publications refused by the broker", soak.fan);
        check(soak.ws.sentTotal() - soak.ws.answered.get(), "backend WebSocket publications never answered",
                soak.fan);
        check(soak.churn.connectFailures.get(), "churn: connections that failed to open", soak.churn.tally);
        check(soak.churn.starved.get(), "churn: clients that received nothing", soak.churn.tally);
        for (Abuse.Kind kind : soak.abuse.kinds()) {
            if (kind.notCut.get() > 0) {
                failures.add(kind.name + ": " + kind.notCut.get() + " attack(s) not cut by the broker within "
                        + Abuse.DEADLINE_MILLIS / 1000 + " s");
            }
        }
        long healthMisses = soak.samples.stream().filter(s -> s.healthMillis() < 0).count();
        if (healthMisses > 0) {
            failures.add("/health did not answer 200 within " + Sampler.HEALTH_BOUND.toSeconds() + " s in "
                    + healthMisses + " of " + soak.samples.size() + " samples");
        }
        double warmup = soak.options().warmup().toMillis() / 1000.0;
        long afterWarmup = soak.samples.stream().filter(s -> s.seconds() >= warmup).count();
        for (Trend trend : trends) {
            if (trend.growing()) {
                failures.add(trend.name() + " grows: " + trend.verdict());
            } else if (!trend.judged() && afterWarmup >= Trend.MIN_SAMPLES) {
                // the run was long enough: readings failed (jcmd, /proc), and an unread trend must not pass
                failures.add(trend.name() + " could not be judged: only " + trend.samples() + " of " + afterWarmup
                        + " samples after the warm-up were read completely");
            }
        }
    }

    private void check(long count, String what, Tally tally) {
        if (count > 0) {
            String first = tally.firstErrors();
            failures.add(what + ": " + count + (first.isEmpty() ? "" : " (first: " + first + ")"));
        }
    }

    /** One progress line, logged with each sample. */
    static String progress(Sample s, Tally fan, Publishers.Ws ws, Churn churn, Abuse abuse, Tally snap) {
        return String.format(Locale.ROOT, "t=%4.0fs heap %5.1f MiB, fds %4d, threads %3d, /health %5.1f ms | "
                + "published %d, delivered %d, churn cycles %d, attacks %d, SNAP frames delivered %d",
                s.seconds(), s.heapBytes() / 1048576.0, s.fds(), s.threads(), s.healthMillis(), ws.sentTotal(),
                fan.delivered.get(), churn.cycles.get(), abuse.kinds().stream().mapToLong(k -> k.launched.get())
                        .sum(), snap.delivered.get());
    }

    /** The summary table. */
    String table() {
        StringBuilder out = new StringBuilder();
        SoakOptions o = soak.options();
        line(out, "Soak of %s: %.0f s of traffic, broker -Xmx%s (pid %d), sampled every %d s, trends judged after "
                + "a %d s warm-up", o.jar().getFileName(), soak.trafficSeconds, o.xmx(), soak.broker.pid(),
                o.sampleEvery().toSeconds(), o.warmup().toSeconds());
        line(out, "");
        line(out, "| Broker | start | end | min | max | trend |");
        line(out, "| --- | ---: | ---: | ---: | ---: | --- |");
        resource(out, "heap after GC (MiB)", s -> s.heapBytes() / 1048576.0, trends.get(0));
        resource(out, "descriptors", Sample::fds, trends.get(1));
        resource(out, "threads", Sample::threads, trends.get(2));
        resource(out, "RSS (MiB)", s -> s.rssBytes() / 1048576.0, null);
        resource(out, "/health (ms)", Sample::healthMillis, null);
        line(out, "");
        line(out, "| Traffic | published | delivered | lost | out of order | latency after warm-up p50 / p99 / p99.9 / max (ms) |");
        line(out, "| --- | ---: | ---: | ---: | ---: | --- |");
        traffic(out, String.format(Locale.ROOT, "fan-out: %d subscribers, %d channels (WS %d/s) + HTTP (%d/s)",
                o.subscribers(), o.channels(), o.rate(), o.httpRate()), soak.ws.sentTotal()
                + soak.http.published.get(), soak.fan);
        traffic(out, String.format(Locale.ROOT, "SNAP: %d nodes, %d frames/s, %d subscribers", o.snapNodes(),
                o.snapRate(), o.snapSubscribers()), soak.feed.writtenTotal(), soak.snap);
        traffic(out, String.format(Locale.ROOT, "churn: %d cycles (%d with a close frame), %d connect failures",
                soak.churn.cycles.get(), soak.churn.cleanCloses.get(), soak.churn.connectFailures.get()), -1,
                soak.churn.tally);
        line(out, "");
        line(out, "| Attack | launched | cut by the broker | not cut | slowest cut (s) | still running at the end |");
        line(out, "| --- | ---: | ---: | ---: | ---: | ---: |");
        for (Abuse.Kind kind : soak.abuse.kinds()) {
            line(out, "| %s | %d | %d | %d | %.1f | %d |", kind.name, kind.launched.get(), kind.cut.get(),
                    kind.notCut.get(), kind.maxCutMillis.get() / 1000.0, kind.interrupted.get());
        }
        line(out, "");
        line(out, "Broker: exit code %d after SIGTERM, %d ERROR line(s) in its log (%s)", soak.exitCode, errorLines,
                soak.broker.log());
        line(out, "Samples: %s", soak.dir().resolve("samples.csv"));
        for (Trend trend : trends) {
            line(out, "Trend of %s: %s", trend.name(), trend.verdict());
        }
        if (passed()) {
            line(out, "SOAK PASSED");
        } else {
            line(out, "SOAK FAILED:");
            failures.forEach(f -> line(out, "  - %s", f));
        }
        return out.toString();
    }

    private void resource(StringBuilder out, String name, ToDoubleFunction<Sample> value, Trend trend) {
        List<Sample> all = soak.samples;
        if (all.isEmpty()) {
            line(out, "| %s | - | - | - | - | - |", name);
            return;
        }
        double[] values = all.stream().mapToDouble(value).toArray();
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        line(out, "| %s | %.1f | %.1f | %.1f | %.1f | %s |", name, values[0], values[values.length - 1], min, max,
                trend == null ? "" : trend.growing() ? "GROWING" : trend.judged() ? "flat" : "not judged");
    }

    private static void traffic(StringBuilder out, String name, long published, Tally tally) {
        Histogram h = tally.latencyMicros.copy();
        line(out, "| %s | %s | %d | %d | %d | %.1f / %.1f / %.1f / %.1f |", name,
                published < 0 ? "-" : Long.toString(published), tally.delivered.get(), tally.lost.get(),
                tally.outOfOrder.get(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    void writeSamples(Path file) throws IOException {
        StringBuilder csv = new StringBuilder("seconds,heap_after_gc_bytes,fds,threads,rss_bytes,health_ms,"
                + "client_connections\n");
        for (Sample s : soak.samples) {
            csv.append(String.format(Locale.ROOT, "%.1f,%d,%d,%d,%d,%.2f,%d%n", s.seconds(), s.heapBytes(), s.fds(),
                    s.threads(), s.rssBytes(), s.healthMillis(), s.clientConnections()));
        }
        Files.writeString(file, csv.toString());
    }
}
