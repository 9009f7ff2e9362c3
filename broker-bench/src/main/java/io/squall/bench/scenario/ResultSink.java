package io.squall.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Collects result rows: logs each as it is measured and appends it to the results file (JSON lines), if any. */
public final class ResultSink {
    private static final Logger log = LoggerFactory.getLogger(ResultSink.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final boolean quiet;
    private final String label;
    private final String variant;
    private final Integer round;
    private final List<ResultRow> rows = new ArrayList<>();

    /** @param file where to append rows, or null to keep them in memory only */
    public ResultSink(Path file) {
        this(file, false, null, null, null);
    }

    /**
     * A sink that names every row's system {@code label} (e.g. {@code squall-redis} rather than the protocol's
     * {@code squall}) and marks it with {@code variant} and {@code round}; nulls leave the row's own.
     */
    public ResultSink(Path file, String label, String variant, Integer round) {
        this(file, false, label, variant, round);
    }

    private ResultSink(Path file, boolean quiet, String label, String variant, Integer round) {
        this.file = file;
        this.quiet = quiet;
        this.label = label;
        this.variant = variant;
        this.round = round;
    }

    /** A sink for warm-up steps: nothing is logged or written. */
    static ResultSink discard() {
        return new ResultSink(null, true, null, null, null);
    }

    public synchronized void add(ResultRow measured) {
        if (quiet) {
            return;
        }
        ResultRow row = measured.relabel(label, variant, round);
        rows.add(row);
        log.info("  {}", describe(row));
        if (file != null) {
            try {
                Files.writeString(file, JSON.writeValueAsString(row) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }

    public synchronized List<ResultRow> rows() {
        return List.copyOf(rows);
    }

    public static List<ResultRow> read(Path file) throws IOException {
        List<ResultRow> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add(JSON.readValue(line, ResultRow.class));
            }
        }
        return rows;
    }

    static String describe(ResultRow row) {
        StringBuilder line = new StringBuilder(row.broker()).append(' ').append(row.scenario());
        field(line, "variant", row.variant());
        field(line, "round", row.round());
        field(line, "transport", row.transport());
        field(line, "conns", row.connections());
        field(line, "payload", row.payload());
        field(line, "target", row.target());
        field(line, "rate", row.rate());
        field(line, "lost", row.lost());
        field(line, "p50", row.p50());
        field(line, "p99", row.p99());
        field(line, "p99.9", row.p999());
        field(line, "serverCpu", row.serverCpu());
        field(line, "clientCpu", row.clientCpu());
        field(line, "rssMiB", row.serverRssMb());
        field(line, "rssPerConnKiB", row.rssPerConnKb());
        field(line, "heapPerConnKiB", row.heapPerConnKb());
        field(line, "errors", row.errors());
        field(line, "elapsedMs", row.elapsedMs());
        field(line, "recovered", row.recovered());
        if (Boolean.TRUE.equals(row.clientBound())) {
            line.append(" CLIENT-BOUND");
        }
        if (Boolean.TRUE.equals(row.saturated())) {
            line.append(" SATURATED");
        }
        if (row.note() != null) {
            line.append(" (").append(row.note()).append(')');
        }
        return line.toString();
    }

    private static void field(StringBuilder line, String name, Object value) {
        if (value != null) {
            line.append(' ').append(name).append('=').append(value);
        }
    }
}
