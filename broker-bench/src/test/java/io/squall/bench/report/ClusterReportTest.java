package io.squall.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.bench.scenario.ResultRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterReportTest {
    private static final Function<String, Optional<String>> OPTIONS = key -> Optional.ofNullable(
            Map.of("command", "bin/bench --scenarios cluster,history,regression", "note", "Busy machine").get(key));

    @TempDir
    Path dir;

    @Test
    void the_section_has_medians_and_ratios_of_the_alternated_rounds_and_the_goal_at_50k() {
        String md = ClusterReport.section(rows(), OPTIONS);

        assertThat(md).startsWith(ClusterReport.BEGIN).endsWith(ClusterReport.END + "\n").contains("## Cluster",
                "> **Busy machine**", "`bin/bench --scenarios cluster,history,regression`", "share the machine's 2 cores");
        assertThat(md).contains("| squall-redis | 1,000 | 100 B | 50.0 k | 50.0 k | 0 | 1.00 | 4.00 |");
        assertThat(md).contains("| squall-redis | 4.00 | 1.00 | 0 | yes |", "| nats-cluster | 6.00 | 1.00 | 0 | **no** |");
        // history: rounds 100 k, 300 k, 200 k off (median 200 k); 100 k, 50 k, 150 k on (median 100 k): 0.50
        assertThat(md).contains("| memory | off | 100.0 k | 300.0 k | 200.0 k | **200.0 k** |",
                "| memory | on | 100.0 k | 50.0 k | 150.0 k | **100.0 k** |", "**0.50**");
        // regression: base 50 % of a core at 100 k/s = 5 µs per delivery, head 52.5 % = 5.25 µs: 1.050
        assertThat(md).contains("| base abc | 100.0 k | 5.000, 5.000 | **5.000** |", "| 100.0 k | **1.050** | **1.100** |");
        assertThat(md).contains("| 1,000 | 1000 channels | 100 | 1,000 (all) | 100,000 / 100,000 | **850 ms** |");
        assertThat(md).contains("| node a | 18,334 |", "18,334 of 55,000", "**not all stayed connected**");
    }

    @Test
    void splicing_replaces_only_the_cluster_section_and_keeps_the_others() throws Exception {
        Path out = dir.resolve("benchmarks.md");
        Files.writeString(out, "# Benchmarks\n\n## Backend ingest\n\ntable\n\n## Profile of Squall in fan-out (JFR)\n\n"
                + "profile\n\n## Reading these figures\n\nnotes\n", StandardCharsets.UTF_8);

        ClusterReport.splice(rows(), out, OPTIONS);
        ClusterReport.splice(rows().subList(0, 2), out, OPTIONS);

        String md = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(md).containsOnlyOnce("## Cluster").containsOnlyOnce(ClusterReport.BEGIN)
                .contains("## Backend ingest\n\ntable\n\n" + ClusterReport.BEGIN)
                .contains(ClusterReport.END + "\n\n## Profile of Squall in fan-out (JFR)\n\nprofile")
                .endsWith("## Reading these figures\n\nnotes\n")
                .doesNotContain("### The cost of history");
    }

    private static List<ResultRow> rows() {
        List<ResultRow> rows = new ArrayList<>();
        rows.add(fan("squall-redis", 4.0));
        rows.add(fan("nats-cluster", 6.0));
        double[][] history = {{100_000, 100_000}, {300_000, 50_000}, {200_000, 150_000}};
        for (int round = 1; round <= 3; round++) {
            rows.add(row("squall-memory", "history", "history off", round, null, history[round - 1][0], 50.0, 2.0));
            rows.add(row("squall-memory", "history", "history on", round, null, history[round - 1][1], 50.0, 2.0));
        }
        for (int round = 1; round <= 2; round++) {
            rows.add(row("squall", "regression", "base abc", round, 100_000.0, 100_000.0, 50.0, 10.0));
            rows.add(row("squall", "regression", "head def", round, 100_000.0, 100_000.0, 52.5, 11.0));
        }
        rows.add(new ResultRow("squall-redis", "recovery", 1000, 100, null, 100_000L, 100_000L, 100_000L, 0L,
                117_647.0, 500.0, 800.0, 850.0, null, null, null, null, false, null, null, null, null, 0L, "note",
                "1000 channels", null, 850.0, 1000L));
        rows.add(new ResultRow("squall-redis", "connections", 18_334, null, null, null, null, null, null, null, null,
                null, null, 1.0, 1.0, 300.0, false, null, 5.0, 2.0, null, null, null, "baseline", "node a", null, null,
                null));
        rows.add(new ResultRow("squall-redis", "connections", 55_000, null, null, null, 55_000L, 18_334L, 36_666L,
                null, null, null, null, null, null, 900.0, null, null, null, null, null, null, 2L, "4 processes",
                "all nodes", null, 60_000.0, null));
        return rows;
    }

    private static ResultRow fan(String system, double p99) {
        return new ResultRow(system, "cluster", 1000, 100, 50_000.0, 50L, 50_000L, 50_000L, 0L, 50_000.0, 1.0, p99,
                p99 * 2, 80.0, 40.0, 500.0, false, false, null, null, null, null, 0L, null);
    }

    private static ResultRow row(String system, String scenario, String variant, int round, Double target,
            double rate, double serverCpu, double p99) {
        return new ResultRow(system, scenario, 1, 100, target, 1000L, 1000L, 1000L, 0L, rate, p99 / 2, p99, p99,
                serverCpu, 30.0, 100.0, false, false, null, null, null, null, 0L, null, variant, round, null, null);
    }
}
