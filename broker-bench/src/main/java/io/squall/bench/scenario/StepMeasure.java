package io.squall.bench.scenario;

import io.squall.bench.stats.ProcStats;
import java.util.function.LongUnaryOperator;

/**
 * Runs one paced publishing step and measures it: deliveries against what was owed, latency percentiles,
 * broker and generator CPU over the step, broker RSS at its end.
 */
final class StepMeasure {
    private StepMeasure() {}

    /**
     * @param expectedFor deliveries owed for a number of publications (publications times subscribers)
     * @param target the deliveries/s asked for, to judge saturation
     */
    static ResultRow.Builder run(RunContext context, DeliveryRecorder recorder, Counters publisherCounters,
            PacedPublisher publisher, int step, double publishRate, LongUnaryOperator expectedFor, double target,
            ResultRow.Builder row) {
        recorder.begin(step);
        long closedBefore = recorder.closed.get();
        long errorsBefore = recorder.errors.get() + publisherCounters.errors.get();
        ProcStats.Sample server = context.probe().cpu();
        ProcStats.Sample client = ProcStats.Sample.of(ProcStats.self());
        long start = System.nanoTime();
        long count = Math.max(1, Math.round(publishRate * context.step().toNanos() / 1e9));
        long published = publisher.run(step, publishRate, count);
        long publishEnd = System.nanoTime();
        long expected = expectedFor.applyAsLong(published);
        Steps.waitFor(() -> recorder.delivered() >= expected, context.drain());
        DeliveryRecorder.Snapshot seen = recorder.snapshot();
        double serverCpu = server.percentSince();
        double clientCpu = client.percentSince();
        long closed = recorder.closed.get() - closedBefore;
        long errors = recorder.errors.get() + publisherCounters.errors.get() - errorsBefore + closed;
        double seconds = (Math.max(publishEnd, seen.lastNanos()) - start) / 1e9;
        double rate = seen.delivered() / seconds;
        long lost = expected - seen.delivered();
        row.target = target;
        row.published = published;
        row.expected = expected;
        row.delivered = seen.delivered();
        row.lost = lost;
        row.rate = (double) Math.round(rate);
        row.p50 = nanToNull(seen.millis(50));
        row.p99 = nanToNull(seen.millis(99));
        row.p999 = nanToNull(seen.millis(99.9));
        row.cpu(serverCpu, clientCpu);
        row.serverRssMb = nanToNull(Steps.mib(context.probe().rssBytes()));
        row.errors = errors;
        row.saturated = lost != 0 || errors > 0 || rate < 0.9 * target;
        if (closed > 0 || seen.late() > 0) {
            row.note = (closed > 0 ? closed + " subscribers disconnected" : "")
                    + (seen.late() > 0 ? (closed > 0 ? "; " : "") + seen.late() + " late from an earlier step" : "");
        }
        return row;
    }

    private static Double nanToNull(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
