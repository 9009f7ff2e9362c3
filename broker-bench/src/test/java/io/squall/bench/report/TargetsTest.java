package io.squall.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.bench.scenario.ResultRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {
    @Test
    void fan_out_is_compared_with_nats_for_every_audience_and_payload_on_its_own_row() {
        List<ResultRow> rows = List.of(
                fanout("squall", 1000, 100, 2_000_000, 70, false, true),
                fanout("nats", 1000, 100, 3_000_000, 50, false, false),
                fanout("squall", 10_000, 100, 1_500_000, 700, false, true),
                fanout("nats", 10_000, 100, 750_000, 1_200, false, false),
                fanout("nats", 10_000, 100, 1_400_000, 2_700, true, false));

        String table = Targets.table(rows);

        assertThat(table).contains("(1,000 subscribers, 100 B)").contains("(10,000 subscribers, 100 B)");
        assertThat(lineWith(table, "1,000 subscribers")).contains("0.67×").endsWith("| **no** |");
        assertThat(lineWith(table, "(10,000 subscribers")).as("NATS's saturated step is not its best")
                .contains("2.00×").contains("client-bound").endsWith("| yes |");
        assertThat(lineWith(table, "beyond 1 M")).endsWith("| yes |");
    }

    private static String lineWith(String table, String text) {
        return table.lines().filter(line -> line.contains(text)).findFirst().orElseThrow();
    }

    private static ResultRow fanout(String broker, int connections, int payload, double rate, double p99,
            boolean saturated, boolean clientBound) {
        return new ResultRow(broker, "fanout", connections, payload, rate, 0L, 0L, 0L, 0L, rate, p99 / 2, p99,
                p99 * 1.1, 90.0, 90.0, 100.0, clientBound, saturated, null, null, null, null, 0L, null);
    }
}
