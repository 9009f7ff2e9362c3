package io.squall.bench.scenario;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one scenario configuration so that its failure (a broker refusing connections, a subscription never
 * confirmed) becomes a result row saying so, and the run goes on with the next configuration.
 */
public final class Attempt {
    private static final Logger log = LoggerFactory.getLogger(Attempt.class);

    private Attempt() {}

    /** Returns false (after recording a failed row) when {@code body} threw. */
    public static boolean run(RunContext context, String scenario, Integer connections, Integer payload,
            Runnable body) {
        try {
            body.run();
            return true;
        } catch (RuntimeException e) {
            log.error("{} {} ({} connections, {} B) failed: {}", context.protocol().name(), scenario, connections,
                    payload, e.getMessage(), e);
            ResultRow.Builder row = ResultRow.of(context.protocol().name(), scenario);
            row.connections = connections;
            row.payload = payload;
            row.saturated = true;
            row.errors = 1L;
            row.note = "failed: " + e.getMessage();
            context.sink().add(row.build());
            return false;
        }
    }
}
