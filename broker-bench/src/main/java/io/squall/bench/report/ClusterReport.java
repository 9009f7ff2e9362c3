package io.squall.bench.report;

import io.squall.bench.scenario.ResultRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The report's "Cluster" section: cross-node fan-out (Squall on Redis and on Redis Cluster, a NATS cluster), many
 * connections over three nodes, the cost of history and recovery after a node restart, and the one-node regression
 * check against the build before the broker seam. A run of only these scenarios splices the section into the
 * existing report between its markers, leaving the other sections as they were.
 */
public final class ClusterReport {
    static final Set<String> SCENARIOS = Set.of("cluster", "connections", "history", "recovery", "regression");
    static final String BEGIN = "<!-- cluster section: written by bin/bench -->";
    static final String END = "<!-- end of cluster section -->";
    private static final double GOAL_P99_MS = 5;
    private static final double REGRESSION_LIMIT = 1.05;

    private ClusterReport() {}

    static boolean any(List<ResultRow> rows) {
        return rows.stream().anyMatch(r -> SCENARIOS.contains(r.scenario()));
    }

    /** Replaces (or inserts) the Cluster section of the report at {@code out}. */
    public static void splice(List<ResultRow> rows, Path out, Function<String, Optional<String>> options)
            throws IOException {
        String section = section(rows, options);
        String md = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "# Benchmarks\n\n";
        int begin = md.indexOf(BEGIN);
        int end = md.indexOf(END);
        if (begin >= 0 && end > begin) {
            md = md.substring(0, begin) + section + md.substring(end + END.length()).replaceFirst("^\n", "");
        } else {
            int at = md.indexOf("## Profile of Squall in fan-out");
            if (at < 0) {
                at = md.indexOf("## Reading these figures");
            }
            md = at < 0 ? md.stripTrailing() + "\n\n" + section : md.substring(0, at) + section + "\n" + md.substring(at);
        }
        Files.writeString(out, md, StandardCharsets.UTF_8);
    }

    static String section(List<ResultRow> all, Function<String, Optional<String>> options) {
        List<ResultRow> rows = all.stream().filter(r -> SCENARIOS.contains(r.scenario())).toList();
        StringBuilder md = new StringBuilder(BEGIN).append("\n## Cluster\n\n");
        options.apply("cluster-note").or(() -> options.apply("note"))
                .ifPresent(note -> md.append("> **").append(note).append("**\n\n"));
        md.append("Several nodes on this one machine, side by side in one run. **The three nodes share the machine's 2 ")
                .append("cores with everything else**: every server process (the Squall nodes and Redis, or the three ")
                .append("NATS servers) is pinned to core 0 and the generator processes to core 1, so these figures ")
                .append("compare the systems on one box and are not a cluster's capacity.\n\n");
        options.apply("cluster-command").or(() -> options.apply("command"))
                .ifPresent(c -> md.append("- Reproduce: `").append(c).append("`\n"));
        options.apply("date").ifPresent(d -> md.append("- Run: ").append(d).append('\n'));
        options.apply("machine").ifPresent(m -> md.append("- Machine: ").append(m).append('\n'));
        options.apply("cluster-versions").or(() -> options.apply("versions"))
                .ifPresent(v -> md.append("- Versions: ").append(v).append('\n'));
        md.append('\n');
        fanOut(rows, md);
        connections(rows, md);
        history(rows, md);
        recovery(rows, md);
        regression(rows, md);
        md.append(METHOD);
        Optional<String> notes = options.apply("cluster-notes");
        if (notes.isPresent() && Files.isReadable(Path.of(notes.get()))) {
            try {
                md.append(Files.readString(Path.of(notes.get()), StandardCharsets.UTF_8).strip()).append("\n\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return md.append(END).append('\n').toString();
    }

    private static void fanOut(List<ResultRow> rows, StringBuilder md) {
        List<ResultRow> fan = of(rows, "cluster");
        if (fan.isEmpty()) {
            return;
        }
        md.append("### Cross-node fan-out\n\n")
                .append("One channel; the subscribers spread round-robin over the three nodes, the publications entering ")
                .append("on the first (Squall: its backend WebSocket; NATS: a client's PUB on node a). Server CPU is ")
                .append("all server processes together (three nodes and Redis, in percent of one core).\n\n");
        md.append("| System | Subscribers | Payload | Asked/s | Delivered/s | Lost | p50 ms | p99 ms | p99.9 ms "
                + "| Server CPU | Client CPU | Note |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (ResultRow r : fan) {
            md.append(cells(r.broker(), Tables.count(r.connections()), Tables.bytes(r.payload()), Tables.rate(r.target()),
                    Tables.rate(r.rate()), Tables.count(r.lost()), Tables.num(r.p50()), Tables.num(r.p99()),
                    Tables.num(r.p999()), Tables.pct(r.serverCpu()), Tables.pct(r.clientCpu()), flags(r)));
        }
        md.append("\nPublish→deliver p99 at 50,000 deliveries/s (goal ≤ ").append(Tables.num(GOAL_P99_MS))
                .append(" ms):\n\n| System | p99 ms | p50 ms | Lost | Goal met |\n|---|--:|--:|--:|---|\n");
        for (String system : systems(fan)) {
            fan.stream().filter(r -> r.broker().equals(system) && r.target() != null && r.target() == 50_000)
                    .findFirst().ifPresent(r -> md.append(cells(system, Tables.num(r.p99()), Tables.num(r.p50()),
                            Tables.count(r.lost()), r.p99() != null && r.p99() <= GOAL_P99_MS && r.lost() == 0
                                    ? "yes" : "**no**")));
        }
        md.append('\n');
    }

    private static void connections(List<ResultRow> rows, StringBuilder md) {
        List<ResultRow> conns = of(rows, "connections");
        if (conns.isEmpty()) {
            return;
        }
        Optional<ResultRow> total = conns.stream().filter(r -> "all nodes".equals(r.variant())).findFirst();
        md.append("### ").append(total.map(t -> Tables.count(t.connections())).orElse("Many"))
                .append(" connections held over three nodes\n\n")
                .append("Idle, logged-in WebSockets spread round-robin over three Squall nodes on one Redis; each ")
                .append("process (nodes and generators) may hold at most 20,000 descriptors, so several generator ")
                .append("processes hold them. RSS and heap per connection: each node's growth over its own baseline ")
                .append("after a full GC, divided by the connections it holds (kernel socket memory not included).\n\n");
        md.append("| Node | Connections | RSS MiB | RSS per conn KiB | Heap per conn KiB | Idle CPU | Note |\n"
                + "|---|--:|--:|--:|--:|--:|---|\n");
        for (ResultRow r : conns) {
            if (!"all nodes".equals(r.variant())) {
                md.append(cells(Tables.text(r.variant()), Tables.count(r.connections()), Tables.num(r.serverRssMb()),
                        Tables.num(r.rssPerConnKb()), Tables.num(r.heapPerConnKb()), Tables.pct(r.serverCpu()),
                        Tables.text(r.note())));
            }
        }
        total.ifPresent(t -> md.append(cells("**all**", Tables.count(t.delivered()) + " of "
                + Tables.count(t.expected()), Tables.num(t.serverRssMb()), "", "", "", Tables.text(t.note()
                + "; opened in " + Tables.num(t.elapsedMs() == null ? null : t.elapsedMs() / 1000) + " s"
                + (t.lost() != null && t.lost() == 0 && t.errors() != null && t.errors() == 0
                        ? "; **all stayed connected**" : "; **not all stayed connected**")))));
        md.append('\n');
    }

    private static void history(List<ResultRow> rows, StringBuilder md) {
        List<ResultRow> hist = of(rows, "history");
        if (hist.isEmpty()) {
            return;
        }
        int rounds = hist.stream().map(ResultRow::round).filter(Objects::nonNull).max(Integer::compare).orElse(1);
        md.append("### The cost of history\n\n")
                .append("Publishes/s one node accepts on its backend WebSocket (100 publications per confirmed unit, 8 ")
                .append("units in flight, 100 B) into channel `bench:ingest`, with no history rule and with ")
                .append("`pubsub.channels=bench:* size=100 ttl=10m`. Both nodes run at once and are measured in ")
                .append("turn, off then on, in every round.\n\n");
        StringBuilder head = new StringBuilder("| Engine | History |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (int i = 1; i <= rounds; i++) {
            head.append(" Round ").append(i).append(" /s |");
            rule.append("--:|");
        }
        md.append(head).append(" Median /s | Median unit p99 ms | Server CPU | On ÷ off |\n").append(rule)
                .append("--:|--:|--:|--:|\n");
        for (String engine : systems(hist)) {
            Double off = median(hist, r -> r.broker().equals(engine) && "history off".equals(r.variant()),
                    ResultRow::rate);
            for (String variant : List.of("history off", "history on")) {
                Predicate<ResultRow> mine = r -> r.broker().equals(engine) && variant.equals(r.variant());
                List<String> cells = new ArrayList<>(List.of(engine.replace("squall-", ""), variant.replace(
                        "history ", "")));
                for (int i = 1; i <= rounds; i++) {
                    int round = i;
                    cells.add(hist.stream().filter(mine.and(r -> Objects.equals(r.round(), round))).findFirst()
                            .map(r -> Tables.rate(r.rate())).orElse("–"));
                }
                Double median = median(hist, mine, ResultRow::rate);
                cells.add("**" + Tables.rate(median) + "**");
                cells.add(Tables.num(median(hist, mine, ResultRow::p99)));
                cells.add(Tables.pct(median(hist, mine, ResultRow::serverCpu)));
                cells.add(variant.equals("history on") && off != null && median != null
                        ? String.format(Locale.ROOT, "**%.2f**", median / off) : "");
                md.append(cells(cells.toArray(String[]::new)));
            }
        }
        md.append("\nServer CPU counts the measured node (and Redis, on Redis), in percent of one core.\n\n");
    }

    private static void recovery(List<ResultRow> rows, StringBuilder md) {
        List<ResultRow> rec = of(rows, "recovery");
        if (rec.isEmpty()) {
            return;
        }
        md.append("### Recovery after a node restart\n\n")
                .append("Squall on Redis, two nodes, history `bench:* size=100 ttl=10m`. The clients subscribe on node ")
                .append("a with `recoverable: true`; node a is stopped; the publications are made through node b's ")
                .append("backend WebSocket (each answered); node a is started and is ready; then every client ")
                .append("reconnects to node a and subscribes with `since` its last position. Time runs from the first ")
                .append("reconnection until every client has all it missed (connection, subscription and recovery ")
                .append("included); each client's own time is from the same start.\n\n");
        md.append("| Clients | Channels | Behind each | `recovered: true` | Delivered / owed | All recovered in | "
                + "Per client p50 / p99 / slowest ms | Delivered/s | Note |\n|--:|---|--:|--:|--:|--:|--:|--:|---|\n");
        for (ResultRow r : rec) {
            long behind = r.expected() != null && r.connections() != null && r.connections() > 0
                    ? r.expected() / r.connections() : 0;
            md.append(cells(Tables.count(r.connections()), Tables.text(r.variant()), Tables.count(behind),
                    Tables.count(r.recovered()) + (Objects.equals(r.recovered(), r.connections() == null ? null
                            : r.connections().longValue()) ? " (all)" : " **(not all)**"),
                    Tables.count(r.delivered()) + " / " + Tables.count(r.expected()),
                    r.elapsedMs() == null || r.elapsedMs() < 0 ? "**incomplete**" : "**" + Tables.num(r.elapsedMs())
                            + " ms**", Tables.num(r.p50()) + " / " + Tables.num(r.p99()) + " / " + Tables.num(r.p999()),
                    Tables.rate(r.rate()), Tables.text(r.note())));
        }
        md.append('\n');
    }

    private static void regression(List<ResultRow> rows, StringBuilder md) {
        List<ResultRow> reg = of(rows, "regression");
        if (reg.isEmpty()) {
            return;
        }
        List<String> builds = reg.stream().map(ResultRow::variant).distinct().toList();
        String base = builds.stream().filter(b -> b.startsWith("base")).findFirst().orElse(builds.get(0));
        String head = builds.stream().filter(b -> b.startsWith("head")).findFirst().orElse(builds.get(builds.size() - 1));
        List<Double> targets = reg.stream().map(ResultRow::target).filter(Objects::nonNull).distinct().sorted().toList();
        int rounds = reg.stream().map(ResultRow::round).filter(Objects::nonNull).max(Integer::compare).orElse(1);
        md.append("### No regression on one node\n\n")
                .append("The memory engine's fan-out on one node (1,000 subscribers, one channel, 100 B, publisher on ")
                .append("the backend WebSocket), this build against the build of the commit before the broker seam, ")
                .append("alternated: base, head, base, head, ... each on a fresh process. CPU per delivery is the ")
                .append("broker's CPU time over the step divided by the deliveries.\n\n");
        md.append("| Build | Asked/s | CPU µs per delivery (rounds) | Median µs | p99 ms (rounds) | Median p99 ms | "
                + "Lost |\n|---|--:|---|--:|---|--:|--:|\n");
        Map<String, Map<Double, double[]>> medians = new LinkedHashMap<>();
        for (String build : List.of(base, head)) {
            for (Double target : targets) {
                List<ResultRow> mine = reg.stream().filter(r -> build.equals(r.variant()) && target.equals(r.target()))
                        .sorted(Comparator.comparing(r -> r.round() == null ? 0 : r.round())).toList();
                List<Double> cpu = mine.stream().map(ClusterReport::cpuPerDelivery).toList();
                List<Double> p99 = mine.stream().map(ResultRow::p99).toList();
                double mc = median(cpu);
                double mp = median(p99);
                medians.computeIfAbsent(build, b -> new LinkedHashMap<>()).put(target, new double[] {mc, mp});
                md.append(cells(build, Tables.rate(target), join(cpu, "%.3f"), String.format(Locale.ROOT, "**%.3f**",
                        mc), join(p99, null), "**" + Tables.num(mp) + "**", Tables.count(mine.stream().map(
                                ResultRow::lost).filter(Objects::nonNull).mapToLong(Long::longValue).sum())));
            }
        }
        md.append("\n| Asked/s | CPU per delivery head ÷ base | p99 head ÷ base | Within 5 % |\n|--:|--:|--:|---|\n");
        for (Double target : targets) {
            double[] b = medians.get(base).get(target);
            double[] h = medians.get(head).get(target);
            double cpuRatio = h[0] / b[0];
            double p99Ratio = h[1] / b[1];
            md.append(cells(Tables.rate(target), String.format(Locale.ROOT, "**%.3f**", cpuRatio),
                    String.format(Locale.ROOT, "**%.3f**", p99Ratio),
                    (cpuRatio <= REGRESSION_LIMIT ? "CPU yes" : "CPU **no**") + ", "
                            + (p99Ratio <= REGRESSION_LIMIT ? "p99 yes" : "p99 **no**")));
        }
        md.append("\n").append(rounds).append(" round(s) of each build; medians over the rounds.\n\n");
    }

    static Double cpuPerDelivery(ResultRow r) {
        if (r.serverCpu() == null || r.rate() == null || r.rate() <= 0) {
            return Double.NaN;
        }
        return r.serverCpu() / 100.0 / r.rate() * 1e6;
    }

    private static final String METHOD = """
            How these were taken: the same generator as above (Netty, one event-loop thread per process, latency from
            each publication's intended send time). A cluster node is one `broker-server.jar` process with
            `--node.id`, its own ports and `--engine=redis` (`--redis.mode=cluster` on the Redis Cluster); Redis is
            Debian's `redis-server` without persistence (`--save ''`), the Redis Cluster three masters made with
            `redis-cli --cluster create ... --cluster-replicas 0`; NATS is Debian's `nats-server`, three servers with
            `cluster { routes: [...] }` and a WebSocket listener each (configurations written by `bin/bench` into its
            work directory). Every process started is stopped at the end of its scenario; every generator run is
            bounded in time.

            """;

    private static List<ResultRow> of(List<ResultRow> rows, String scenario) {
        return rows.stream().filter(r -> r.scenario().equals(scenario)).toList();
    }

    private static List<String> systems(List<ResultRow> rows) {
        return rows.stream().map(ResultRow::broker).distinct().toList();
    }

    private static Double median(List<ResultRow> rows, Predicate<ResultRow> which, Function<ResultRow, Double> value) {
        List<Double> values = rows.stream().filter(which).map(value).filter(Objects::nonNull).toList();
        return values.isEmpty() ? null : median(values);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().filter(v -> v != null && !v.isNaN()).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String join(List<Double> values, String format) {
        return values.stream().map(v -> v == null || v.isNaN() ? "–" : format == null ? Tables.num(v)
                : String.format(Locale.ROOT, format, v)).collect(Collectors.joining(", "));
    }

    private static String flags(ResultRow row) {
        StringBuilder note = new StringBuilder();
        if (Boolean.TRUE.equals(row.clientBound())) {
            note.append("client-bound (lower bound); ");
        }
        if (Boolean.TRUE.equals(row.saturated())) {
            note.append("saturated; ");
        }
        if (row.note() != null) {
            note.append(row.note());
        }
        String text = note.toString().trim();
        return Tables.text(text.endsWith(";") ? text.substring(0, text.length() - 1) : text);
    }

    private static String cells(String... values) {
        return "| " + String.join(" | ", values) + " |\n";
    }
}
