package io.squall.bench.report;

import io.squall.bench.scenario.ResultRow;
import io.squall.bench.scenario.ResultSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code docs/benchmarks.md} (and its chart) from a results file: the machine, the versions, the command
 * that reproduces it, the targets, one table per scenario and the profile's top frames if one was taken.
 */
public final class ReportMain {
    private static final Logger log = LoggerFactory.getLogger(ReportMain.class);

    private ReportMain() {}

    /**
     * {@code options} gives out, chart, machine, versions, command, note, date, profile (a text file of the
     * profiler's top frames) and notes (a hand-written markdown file appended at the end); all optional.
     */
    public static void write(String results, Function<String, Optional<String>> options) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<ResultRow> rows = ResultSink.read(Path.of(results));
        Path out = Path.of(options.apply("out").orElse("docs/benchmarks.md"));
        if (options.apply("section").filter("cluster"::equals).isPresent()) {
            // only the Cluster section is rewritten; the single-node sections stay as the earlier run left them
            ClusterReport.splice(rows, out, options);
            log.info("wrote the Cluster section of {}", out);
            return;
        }
        rows = rows.stream().filter(r -> !ClusterReport.SCENARIOS.contains(r.scenario())).toList();
        List<ResultRow> all = ResultSink.read(Path.of(results));
        Path chart = out.resolveSibling(options.apply("chart").orElse("benchmarks.png"));
        boolean charted = Charts.write(rows, chart);
        StringBuilder md = new StringBuilder("# Benchmarks\n\n");
        options.apply("note").ifPresent(note -> md.append("> **").append(note).append("**\n\n"));
        md.append("Squall side by side with NATS (WebSocket) and Mosquitto (MQTT over WebSocket), driven by the same ")
                .append("generator with the same workload in one run.\n\n");
        md.append("- Reproduce: `").append(options.apply("command").orElse("bin/bench")).append("`\n");
        options.apply("date").ifPresent(d -> md.append("- Run: ").append(d).append('\n'));
        options.apply("machine").ifPresent(m -> md.append("- Machine: ").append(m).append('\n'));
        options.apply("versions").ifPresent(v -> md.append("- Versions: ").append(v).append('\n'));
        md.append('\n').append(Method.TEXT).append('\n');
        md.append("## Targets\n\n").append(Targets.table(rows)).append('\n');
        md.append("## Fan-out (one channel)\n\n").append(Tables.fanOut(rows, "fanout")).append('\n');
        if (charted) {
            md.append("![p99 latency against deliveries/s](").append(chart.getFileName()).append(")\n\n");
        }
        md.append("## Many channels (personal channel plus a group of 10)\n\n").append(Tables.fanOut(rows, "channels"))
                .append('\n');
        md.append("## Idle connections\n\n").append(Tables.idle(rows)).append('\n');
        md.append("## Backend ingest\n\n").append(Tables.ingest(rows)).append('\n');
        if (ClusterReport.any(all)) {
            md.append(ClusterReport.section(all, options)).append('\n');
        }
        Optional<String> profile = options.apply("profile");
        if (profile.isPresent() && Files.isReadable(Path.of(profile.get()))) {
            md.append("## Profile of Squall in fan-out (JFR)\n\n")
                    .append(options.apply("profile-title").orElse("Hot methods by execution samples:")).append("\n\n```text\n")
                    .append(Files.readString(Path.of(profile.get()), StandardCharsets.UTF_8).strip())
                    .append("\n```\n");
        }
        Optional<String> notes = options.apply("notes");
        if (notes.isPresent() && Files.isReadable(Path.of(notes.get()))) {
            md.append('\n').append(Files.readString(Path.of(notes.get()), StandardCharsets.UTF_8).strip()).append('\n');
        }
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        log.info("wrote {}{}", out, charted ? " and " + chart : "");
    }
}
