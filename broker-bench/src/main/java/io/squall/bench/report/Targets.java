package io.squall.bench.report;

import io.squall.bench.scenario.ResultRow;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/** The targets, each checked against the figures of this one run. */
final class Targets {
    private static final String CLIENT_BOUND = " (client-bound: a lower bound)";

    private Targets() {}

    static String table(List<ResultRow> rows) {
        StringBuilder out = new StringBuilder("| Target | Measured in this run | Met |\n|---|---|---|\n");
        // one row per audience and payload: which broker leads depends on both, so no single pair speaks for all
        rows.stream().filter(r -> r.broker().equals("squall") && r.scenario().equals("fanout"))
                .map(r -> List.of(r.connections(), r.payload())).distinct().forEach(shape -> {
                    Predicate<ResultRow> same = r -> shape.equals(List.of(r.connections(), r.payload()));
                    Optional<ResultRow> squall = best(rows, "squall", "fanout", same);
                    Optional<ResultRow> nats = best(rows, "nats", "fanout", same);
                    if (squall.isPresent() && nats.isPresent()) {
                        out.append(versusNats(squall.get(), nats.get()));
                    }
                });
        Optional<ResultRow> squallBest = best(rows, "squall", "fanout", r -> true);
        squallBest.ifPresent(s -> out.append(line("Fan-out beyond 1 M deliveries/s",
                "best step: " + Tables.rate(s.rate()) + "/s (" + Tables.count(s.connections())
                        + " subscribers, " + Tables.bytes(s.payload()) + ")" + quality(s),
                s.rate() > 1e6 && clean(s))));
        rows.stream().filter(r -> r.broker().equals("squall") && r.scenario().equals("fanout")
                        && Integer.valueOf(1000).equals(r.connections()) && r.target() != null && r.target() == 50_000)
                .findFirst().ifPresent(r -> out.append(line("p99 ≤ 2 ms at 50 k deliveries/s (1 k subscribers)",
                        "p99 " + Tables.num(r.p99()) + " ms at " + Tables.rate(r.rate()) + "/s, " + Tables.bytes(
                                r.payload()) + ", lost " + r.lost(), r.p99() != null && r.p99() <= 2 && r.lost() == 0)));
        rows.stream().filter(r -> r.broker().equals("squall") && r.scenario().equals("idle") && r.rssPerConnKb() != null)
                .reduce((a, b) -> b).ifPresent(r -> out.append(line("≤ 8 KB RSS per idle connection at ~19 k",
                        Tables.num(r.rssPerConnKb()) + " KiB at " + Tables.count(r.connections()) + " connections",
                        r.rssPerConnKb() <= 8 && r.connections() >= 18_000)));
        rows.stream().filter(r -> r.broker().equals("squall") && r.scenario().equals("ingest") && r.rate() != null)
                .max((a, b) -> Double.compare(a.rate(), b.rate()))
                .ifPresent(r -> out.append(line("Ingest ≥ 200 k publishes/s on the private port",
                        Tables.rate(r.rate()) + "/s over " + r.transport() + " (" + r.batch() + " per unit)",
                        r.rate() >= 200_000)));
        return out.toString();
    }

    private static String versusNats(ResultRow s, ResultRow n) {
        double ratio = s.rate() / n.rate();
        boolean lowerP99 = s.p99() != null && n.p99() != null && s.p99() < n.p99();
        return line("Fan-out ≥ 1.5× NATS's deliveries/s at a lower p99 (" + Tables.count(s.connections())
                        + " subscribers, " + Tables.bytes(s.payload()) + ")",
                String.format(Locale.ROOT, "best steps: Squall %s/s (p99 %s ms)%s vs NATS %s/s (p99 %s ms)%s: %.2f×",
                        Tables.rate(s.rate()), Tables.num(s.p99()), quality(s), Tables.rate(n.rate()),
                        Tables.num(n.p99()), quality(n), ratio),
                ratio >= 1.5 && lowerP99 && clean(s));
    }

    /**
     * The fastest step of a broker that lost nothing and was not saturated; failing that the fastest loss-free
     * one, failing that the fastest (the table then says which it is).
     */
    static Optional<ResultRow> best(List<ResultRow> rows, String broker, String scenario, Predicate<ResultRow> and) {
        Predicate<ResultRow> mine = r -> r.broker().equals(broker) && r.scenario().equals(scenario) && r.rate() != null
                && and.test(r);
        Predicate<ResultRow> lossFree = r -> r.lost() != null && r.lost() == 0;
        return fastest(rows, mine.and(lossFree).and(r -> !Boolean.TRUE.equals(r.saturated())))
                .or(() -> fastest(rows, mine.and(lossFree)))
                .or(() -> fastest(rows, mine));
    }

    private static Optional<ResultRow> fastest(List<ResultRow> rows, Predicate<ResultRow> filter) {
        return rows.stream().filter(filter).max((a, b) -> Double.compare(a.rate(), b.rate()));
    }

    /** What qualifies a figure: lossy or saturated (not a clean result), or client-bound (a lower bound). */
    private static String quality(ResultRow row) {
        if (row.lost() != null && row.lost() > 0) {
            return " (lossy: " + Tables.count(row.lost()) + " lost)";
        }
        if (Boolean.TRUE.equals(row.saturated())) {
            return " (saturated)";
        }
        return Boolean.TRUE.equals(row.clientBound()) ? CLIENT_BOUND : "";
    }

    private static boolean clean(ResultRow row) {
        String quality = quality(row);
        return quality.isEmpty() || quality.equals(CLIENT_BOUND);
    }

    private static String line(String target, String measured, boolean met) {
        return "| " + target + " | " + measured + " | " + (met ? "yes" : "**no**") + " |\n";
    }
}
