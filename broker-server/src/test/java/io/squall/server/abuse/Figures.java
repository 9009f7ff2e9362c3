package io.squall.server.abuse;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one attack did to one build. Heap in MiB: {@code base} after GC before the attack, {@code peak} the most in
 * use while it ran, {@code held} after GC at its end with the attackers still connected, {@code after} after GC once
 * they left. Descriptors and threads: before, peak, after. -1 means unknown (the broker was gone).
 */
record Figures(String attack, String build, String status, double heapBase, double heapPeak, double heapHeld,
        double heapAfter, int fdsBase, int fdsPeak, int fdsAfter, int threadsBase, int threadsPeak, int threadsAfter,
        int healthAsked, int healthMissed, int healthMissRun, long healthSlowestMillis, double p50Millis, double p99Millis,
        int probeAcked, int probeLost, Counts counts) {

    static final String OK = "ok";

    static Figures startFailed(String attack, String build, String why) {
        return new Figures(attack, build, "did not start: " + why, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, -1,
                -1, 0, 0, new Counts());
    }

    boolean ok() {
        return OK.equals(status);
    }

    static String header() {
        return "| attack | build | broker | heap MiB base / peak / held / after | fds base / peak / after "
                + "| threads base / peak / after | /health missed (slowest answer) | probe p50 / p99 ms (lost) | attack |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- |";
    }

    String row() {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s / %s / %s / %s | %s / %s / %s | %s / %s / %s "
                + "| %d of %d%s (%d ms) | %s / %s (%d of %d) | %s |",
                attack, build, status, mib(heapBase), mib(heapPeak), mib(heapHeld), mib(heapAfter),
                n(fdsBase), n(fdsPeak), n(fdsAfter), n(threadsBase), n(threadsPeak), n(threadsAfter),
                healthMissed, healthAsked, healthMissRun > 1 ? ", " + healthMissRun + " in a row" : "",
                healthSlowestMillis, ms(p50Millis), ms(p99Millis), probeLost, probeAcked,
                counts);
    }

    static String table(List<Figures> rows) {
        StringBuilder out = new StringBuilder(header()).append('\n');
        rows.forEach(row -> out.append(row.row()).append('\n'));
        return out.toString();
    }

    Map<String, Long> attackCounts() {
        return counts.snapshot();
    }

    private static String mib(double value) {
        return value < 0 ? "?" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ms(double value) {
        return value < 0 ? "?" : String.format(Locale.ROOT, value < 10 ? "%.1f" : "%.0f", value);
    }

    private static String n(int value) {
        return value < 0 ? "?" : String.valueOf(value);
    }
}
