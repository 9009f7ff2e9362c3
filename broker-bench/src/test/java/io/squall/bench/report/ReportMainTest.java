package io.squall.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.bench.scenario.ResultRow;
import io.squall.bench.scenario.ResultSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportMainTest {
    @TempDir
    Path dir;

    @Test
    void report_has_a_table_per_scenario_the_targets_and_a_png_chart() throws Exception {
        Path results = dir.resolve("results.jsonl");
        ResultSink sink = new ResultSink(results);
        sink.add(fanOut("squall", 50_000, 50_000, 0.8, 0));
        sink.add(fanOut("squall", 100_000, 99_000, 1.5, 0));
        sink.add(fanOut("nats", 50_000, 50_000, 20, 0));
        sink.add(fanOut("nats", 100_000, 60_000, 90, 1000));
        sink.add(new ResultRow("squall", "idle", 19_000, null, null, null, null, null, null, null, null, null, null,
                1.0, 0.5, 150.0, false, null, 7.5, 3.2, null, null, 0L, "baseline RSS 60 MiB"));
        sink.add(new ResultRow("squall", "ingest", 4, 100, null, 1000L, 1000L, 1000L, 0L, 250_000.0, 1.0, 2.0, 3.0,
                90.0, 40.0, 100.0, false, true, null, null, "http", 100, 0L, null));
        Path out = dir.resolve("benchmarks.md");

        Map<String, String> options = Map.of("out", out.toString(), "note", "Busy machine",
                "command", "bin/bench --quick");
        ReportMain.write(results.toString(), key -> Optional.ofNullable(options.get(key)));

        String md = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(md).contains("> **Busy machine**", "`bin/bench --quick`", "## Targets", "## Fan-out (one channel)",
                "## Idle connections", "## Backend ingest", "![p99 latency against deliveries/s](benchmarks.png)");
        assertThat(md).contains("| squall | 1,000 | 100 B | 100.0 k | 99.0 k | 0 | 0.75 | 1.50 |");
        assertThat(md).contains("| nats | 1,000 | 100 B | 100.0 k | 60.0 k | 1,000 |").contains("saturated");
        assertThat(md).contains("| Ingest ≥ 200 k publishes/s on the private port | 250.0 k/s over http (100 per unit) "
                + "| yes |");
        assertThat(md).contains("≤ 8 KB RSS per idle connection at ~19 k | 7.50 KiB at 19,000 connections | yes |");
        byte[] png = Files.readAllBytes(dir.resolve("benchmarks.png"));
        assertThat(Arrays.copyOf(png, 4)).containsExactly((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    private static ResultRow fanOut(String broker, double target, double rate, double p99, long lost) {
        return new ResultRow(broker, "fanout", 1000, 100, target, 100L, 100_000L, 100_000L - lost, lost, rate,
                p99 / 2, p99, p99 * 2, 50.0, 30.0, 200.0, false, lost > 0 || rate < 0.9 * target, null, null, null,
                null, lost > 0 ? 1L : 0L, null);
    }
}
