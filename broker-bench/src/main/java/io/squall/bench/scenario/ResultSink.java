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
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Collects result rows: logs each as it is measured and appends it to the results file (JSON lines), if any. */
public final class ResultSink {
    private static final Logger log = LoggerFactory.getLogger(ResultSink.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final boolean quiet;
    private final List<ResultRow> rows = new ArrayList<>();

    /** @param file where to append rows, or null to keep them in memory only */
    public ResultSink(Path file) {
        this(file, false);
    }

    private ResultSink(Path file, boolean quiet) {
        this.file = file;
        this.quiet = quiet;
    }

    /** A sink for warm-up steps: nothing is logged or written. */
    static ResultSink discard() {
        return new ResultSink(null, true);
    }

    public synchronized void add(ResultRow row) {
        if (quiet) {
            return;
        }
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
        return String.format(Locale.ROOT, "%s %s conns=%s payload=%s target=%s rate=%s lost=%s p50=%s p99=%s "
                        + "p99.9=%s cpu(server/client)=%s/%s rss=%sMB perConn=%sKB %s%s%s", row.broker(), row.scenario(),
                row.connections(), row.payload(), row.target(), row.rate(), row.lost(), row.p50(), row.p99(),
                row.p999(), row.serverCpu(), row.clientCpu(), row.serverRssMb(), row.rssPerConnKb(),
                Boolean.TRUE.equals(row.clientBound()) ? "CLIENT-BOUND " : "",
                Boolean.TRUE.equals(row.saturated()) ? "SATURATED " : "", row.note() == null ? "" : row.note());
    }
}
