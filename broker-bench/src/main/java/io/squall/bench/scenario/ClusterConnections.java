package io.squall.bench.scenario;

import io.squall.bench.stats.ProcStats;
import io.squall.bench.stats.ServerProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many idle connections held over a cluster's nodes (55,000 over three by default): every generator process holds
 * at most {@code perProcess} of them (each process, the nodes' included, may have only 20,000 descriptors), spread
 * round-robin over the nodes; after a full GC on every node, each node's RSS and heap growth per connection, then
 * a hold long enough for the nodes' pings, then a check that every connection is still open on both sides (the
 * generators' closed counts and each node's {@code broker_connections} gauge).
 */
public final class ClusterConnections {
    private static final Logger log = LoggerFactory.getLogger(ClusterConnections.class);
    private static final String[] NAMES = {"a", "b", "c", "d", "e", "f"};

    private ClusterConnections() {}

    /**
     * @param nodes a probe on each node (pid, metrics), in the endpoints' node order
     * @param helpers starts generator process {@code k} (1, 2, ...), each with its own source addresses
     */
    public static void run(RunContext context, List<ServerProbe> nodes, int total, int perProcess, Duration hold,
            IntFunction<IdleHelper.Remote> helpers) {
        log.info("{} connections: {} over {} nodes, at most {} per generator process, held {} s",
                context.protocol().name(), total, nodes.size(), perProcess, hold.toSeconds());
        long[] rss0 = new long[nodes.size()];
        long[] heap0 = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).gc();
            rss0[i] = nodes.get(i).rssBytes();
            heap0[i] = nodes.get(i).heapBytes();
        }
        Counters counters = new Counters();
        List<IdleHelper.Remote> remotes = new ArrayList<>();
        List<Integer> shares = new ArrayList<>();
        try (Crowd crowd = new Crowd(context.connector(), context.protocol(), context.endpoints(), counters)) {
            long opening = System.nanoTime();
            int here = Math.min(total, perProcess);
            for (int rest = total - here, k = 1; rest > 0; k++) {
                int share = Math.min(rest, perProcess);
                IdleHelper.Remote remote = helpers.apply(k);
                remotes.add(remote);
                shares.add(share);
                remote.ask(share);
                rest -= share;
            }
            crowd.open(0, here, id -> List.of(), RunContext.openTimeout(total));
            for (int k = 0; k < remotes.size(); k++) {
                remotes.get(k).await(shares.get(k), RunContext.openTimeout(total));
            }
            double openSeconds = (System.nanoTime() - opening) / 1e9;
            log.info("  {} connections open in {} s ({} generator processes)", total, Math.round(openSeconds),
                    remotes.size() + 1);
            Steps.sleep(2000);
            long[] rss = new long[nodes.size()];
            long[] heap = new long[nodes.size()];
            double[] open = new double[nodes.size()];
            for (int i = 0; i < nodes.size(); i++) {
                nodes.get(i).gc();
                rss[i] = nodes.get(i).rssBytes();
                heap[i] = nodes.get(i).heapBytes();
                open[i] = nodes.get(i).gauge("broker_connections{transport=\"ws\"}");
            }
            List<ProcStats.Sample> cpu = nodes.stream().map(ServerProbe::cpu).toList();
            ProcStats.Sample client = ProcStats.Sample.of(ProcStats.self());
            Steps.sleep(hold.toMillis());
            long closed = counters.closed.get() + counters.errors.get();
            for (int k = 0; k < remotes.size(); k++) {
                remotes.get(k).hold(shares.get(k), Duration.ofSeconds(60));
                closed += remotes.get(k).closed();
            }
            double clientCpu = client.percentSince();
            double stillOpen = 0;
            for (int i = 0; i < nodes.size(); i++) {
                double after = nodes.get(i).gauge("broker_connections{transport=\"ws\"}");
                stillOpen += Math.max(0, after);
                ResultRow.Builder row = ResultRow.of(context.protocol().name(), "connections");
                row.variant = "node " + NAMES[i % NAMES.length];
                row.connections = (int) Math.round(after);
                row.cpu(cpu.get(i).percentSince(), clientCpu);
                row.serverRssMb = Steps.mib(rss[i]);
                if (rss[i] > 0 && rss0[i] > 0 && open[i] > 0) {
                    row.rssPerConnKb = Math.round((rss[i] - rss0[i]) / 1024.0 / open[i] * 100) / 100.0;
                }
                if (heap[i] > 0 && heap0[i] > 0 && open[i] > 0) {
                    row.heapPerConnKb = Math.round((heap[i] - heap0[i]) / 1024.0 / open[i] * 100) / 100.0;
                }
                row.note = "baseline RSS " + Steps.mib(rss0[i]) + " MiB; " + Math.round(open[i]) + " open after "
                        + "opening, " + Math.round(after) + " after " + hold.toSeconds() + " s";
                context.sink().add(row.build());
            }
            ResultRow.Builder row = ResultRow.of(context.protocol().name(), "connections");
            row.variant = "all nodes";
            row.connections = total;
            row.expected = (long) total;
            row.delivered = Math.round(stillOpen);
            row.lost = total - Math.round(stillOpen);
            row.errors = closed;
            row.elapsedMs = (double) Math.round(openSeconds * 1000);
            long rssSum = 0;
            for (long r : rss) {
                rssSum += r;
            }
            row.serverRssMb = Steps.mib(rssSum);
            row.note = (remotes.size() + 1) + " generator processes (at most " + perProcess + " connections each); "
                    + "held " + hold.toSeconds() + " s; " + closed + " closed";
            context.sink().add(row.build());
        } finally {
            for (IdleHelper.Remote remote : remotes) {
                remote.close();
            }
        }
    }
}
