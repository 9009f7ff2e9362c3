package io.squall.bench.report;

import io.squall.bench.scenario.ResultRow;
import java.util.List;
import java.util.Locale;

/** Markdown tables of result rows, one per scenario. */
final class Tables {
    private Tables() {}

    static String fanOut(List<ResultRow> rows, String scenario) {
        StringBuilder out = new StringBuilder();
        out.append("| Broker | Conns | Payload | Asked/s | Delivered/s | Lost | p50 ms | p99 ms | p99.9 ms "
                + "| Server CPU | Client CPU | Server RSS MiB | Note |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (ResultRow row : rows) {
            if (!row.scenario().equals(scenario)) {
                continue;
            }
            out.append(cells(row.broker(), count(row.connections()), bytes(row.payload()), rate(row.target()),
                    rate(row.rate()), count(row.lost()), num(row.p50()), num(row.p99()), num(row.p999()),
                    pct(row.serverCpu()), pct(row.clientCpu()), num(row.serverRssMb()), flags(row)));
        }
        return out.toString();
    }

    static String idle(List<ResultRow> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| Broker | Connections | Server RSS MiB | RSS per conn KiB | Heap per conn KiB | Server CPU (idle) "
                + "| Errors | Note |\n");
        out.append("|---|--:|--:|--:|--:|--:|--:|---|\n");
        for (ResultRow row : rows) {
            if (row.scenario().equals("idle")) {
                out.append(cells(row.broker(), count(row.connections()), num(row.serverRssMb()),
                        num(row.rssPerConnKb()), num(row.heapPerConnKb()), pct(row.serverCpu()), count(row.errors()),
                        text(row.note())));
            }
        }
        return out.toString();
    }

    static String ingest(List<ResultRow> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| Broker | Transport | Conns | Per unit | Accepted/s | Sent | Accepted | Errors | p50 ms | p99 ms "
                + "| Server CPU | Client CPU | Note |\n");
        out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (ResultRow row : rows) {
            if (row.scenario().equals("ingest")) {
                out.append(cells(row.broker(), text(row.transport()), count(row.connections()), count(row.batch()),
                        rate(row.rate()), count(row.published()), count(row.delivered()), count(row.errors()),
                        num(row.p50()), num(row.p99()), pct(row.serverCpu()), pct(row.clientCpu()),
                        flags(row)));
            }
        }
        return out.toString();
    }

    private static String flags(ResultRow row) {
        StringBuilder note = new StringBuilder();
        if (Boolean.TRUE.equals(row.clientBound())) {
            note.append("client-bound (lower bound); ");
        }
        if (Boolean.TRUE.equals(row.saturated()) && !row.scenario().equals("ingest")) {
            note.append("saturated; ");
        }
        if (row.note() != null) {
            note.append(row.note());
        }
        String text = note.toString().trim();
        return text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
    }

    private static String cells(String... values) {
        return "| " + String.join(" | ", values) + " |\n";
    }

    static String rate(Double value) {
        if (value == null) {
            return "–";
        }
        if (value >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", value / 1e6);
        }
        if (value >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k", value / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", value);
    }

    static String num(Double value) {
        if (value == null) {
            return "–";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    static String pct(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.0f %%", value);
    }

    static String count(Number value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%,d", value.longValue());
    }

    static String bytes(Integer value) {
        return value == null ? "–" : value >= 1024 ? (value / 1024) + " KiB" : value + " B";
    }

    static String text(String value) {
        return value == null ? "" : value.replace("|", "\\|");
    }
}
