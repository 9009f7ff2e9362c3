package io.squall.bench.scenario;

import io.squall.bench.stats.ProcStats;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle connections (logged in, no subscriptions) in steps up to ~19 k, and what each costs the broker: RSS growth
 * per connection after a full GC (JVM brokers), heap growth per connection, and the CPU the broker spends keeping
 * them (pings). Every process here, the broker's and the generator's, may hold only 20,000 descriptors, so past
 * {@code perProcess} connections the rest are held by a second generator process ({@link IdleHelper}).
 */
public final class Idle {
    private static final Logger log = LoggerFactory.getLogger(Idle.class);
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private Idle() {}

    /** @param helper starts the second generator process (null: never needed, all steps fit in this one) */
    public static void run(RunContext context, List<Integer> steps, int perProcess, IdleHelper.Launcher helper) {
        log.info("{} idle connections: steps {}", context.protocol().name(), steps);
        Counters counters = new Counters();
        context.probe().gc();
        long rss0 = context.probe().rssBytes();
        long heap0 = context.probe().heapBytes();
        IdleHelper.Remote remote = null;
        try (Crowd crowd = new Crowd(context.connector(), context.protocol(), context.endpoints(), counters)) {
            for (int target : steps) {
                int here = Math.min(target, perProcess);
                int there = target - here;
                ResultRow.Builder row = ResultRow.of(context.protocol().name(), "idle");
                row.connections = target;
                try {
                    if (here > crowd.size()) {
                        crowd.open(crowd.size(), here - crowd.size(), id -> List.of(), RunContext.openTimeout(here));
                    }
                    if (there > 0) {
                        if (remote == null) {
                            remote = helper.start();
                        }
                        remote.hold(there, RunContext.openTimeout(there));
                    }
                } catch (RuntimeException e) {
                    row.note = "stopped: " + e.getMessage();
                    row.saturated = true;
                    context.sink().add(row.build());
                    break;
                }
                Steps.sleep(SETTLE.toMillis());
                context.probe().gc();
                Steps.sleep(500);
                long rss = context.probe().rssBytes();
                long heap = context.probe().heapBytes();
                ProcStats.Sample server = context.probe().cpu();
                ProcStats.Sample client = ProcStats.Sample.of(ProcStats.self());
                Steps.sleep(context.step().toMillis());
                row.cpu(server.percentSince(), client.percentSince());
                row.serverRssMb = Steps.mib(rss);
                if (rss > 0 && rss0 > 0) {
                    row.rssPerConnKb = Math.round((rss - rss0) / 1024.0 / target * 100) / 100.0;
                }
                if (heap > 0 && heap0 > 0) {
                    row.heapPerConnKb = Math.round((heap - heap0) / 1024.0 / target * 100) / 100.0;
                }
                long closed = counters.closed.get();
                row.errors = counters.errors.get() + closed + (remote == null ? 0 : remote.closed());
                row.note = "baseline RSS " + Steps.mib(rss0) + " MiB" + (there > 0 ? "; " + there
                        + " held by a second generator process" : "");
                context.sink().add(row.build());
            }
        } finally {
            if (remote != null) {
                remote.close();
            }
        }
    }
}
