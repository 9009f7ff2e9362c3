package io.squall.bench.scenario;

import io.squall.bench.net.WsConnection;
import io.squall.bench.proto.Marker;
import io.squall.bench.proto.Protocol;
import io.squall.bench.stats.ProcStats;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backend ingest over a WebSocket: publications to a channel nobody subscribes to, sent in units the broker
 * confirms (see {@link io.squall.bench.proto.Protocol#publishUnit}), with a fixed number of units in flight. What
 * counts is publications confirmed per second; the latency is a unit's round trip.
 */
public final class Ingest {
    private static final Logger log = LoggerFactory.getLogger(Ingest.class);
    static final String CHANNEL = "ingest";

    private Ingest() {}

    public static void run(RunContext context, int payload, int batch, int window) {
        run(context, "ingest", CHANNEL, payload, batch, window);
    }

    /** Ingest into {@code channel} (the history scenario: a channel its history rule covers), rows named scenario. */
    public static void run(RunContext context, String scenario, String channel, int payload, int batch, int window) {
        log.info("{} {} over WebSocket into {}: {} per unit, {} units in flight", context.protocol().name(), scenario,
                channel, batch, window);
        if (!context.warmup().isZero()) {
            measure(context.forWarmup(), scenario, channel, payload, batch, window);
        }
        measure(context, scenario, channel, payload, batch, window);
    }

    private static void measure(RunContext context, String scenario, String channel, int payload, int batch,
            int window) {
        Driver driver = new Driver(context, channel, Marker.payload(payload, 0, 0), batch, window);
        WsConnection connection = context.openPublisher(driver);
        try {
            ProcStats.Sample server = context.probe().cpu();
            ProcStats.Sample client = ProcStats.Sample.of(ProcStats.self());
            long start = System.nanoTime();
            long end = start + context.step().toNanos();
            connection.loop().execute(() -> driver.start(connection, end));
            Steps.waitFor(() -> System.nanoTime() - end > 0, context.step().plusSeconds(5));
            Steps.waitFor(() -> driver.idle(), context.drain());
            Driver.Totals totals = Steps.await(connection.loop().submit(driver::totals));
            ResultRow.Builder row = ResultRow.of(context.protocol().name(), scenario);
            row.cpu(server.percentSince(), client.percentSince());
            row.connections = 1;
            row.payload = payload;
            row.transport = "websocket";
            row.batch = batch;
            row.published = totals.sent();
            row.delivered = totals.accepted();
            row.lost = totals.sent() - totals.accepted();
            row.rate = (double) Math.round(totals.accepted() / ((totals.lastNanos() - start) / 1e9));
            row.p50 = Math.round(totals.rtt().getValueAtPercentile(50) / 10.0) / 100.0;
            row.p99 = Math.round(totals.rtt().getValueAtPercentile(99) / 10.0) / 100.0;
            row.p999 = Math.round(totals.rtt().getValueAtPercentile(99.9) / 10.0) / 100.0;
            row.serverRssMb = Steps.mib(context.probe().rssBytes());
            row.errors = driver.errors.get() + driver.closed.get();
            row.saturated = true;
            row.note = "latency: round trip of one unit of " + batch + " with " + window + " in flight";
            context.sink().add(row.build());
        } finally {
            connection.close();
        }
    }

    /** Keeps {@code window} units in flight until the end time; runs on the loop once started. */
    static final class Driver extends Counters {
        private final RunContext context;
        private final String channel;
        private final byte[] payload;
        private Protocol.PublishUnit unit;
        private final int batch;
        private final int window;
        private final ArrayDeque<Long> sentAt = new ArrayDeque<>();
        private final Histogram rtt = new Histogram(TimeUnit.SECONDS.toMicros(300), 3);
        private WsConnection connection;
        private long end;
        private int acksPerUnit;
        private int acksInUnit;
        private long sent;
        private long accepted;
        private long lastNanos;
        private volatile boolean started;
        private volatile int inFlight;

        Driver(RunContext context, String channel, byte[] payload, int batch, int window) {
            this.context = context;
            this.channel = channel;
            this.payload = payload;
            this.batch = batch;
            this.window = window;
        }

        void start(WsConnection publisher, long endNanos) {
            this.connection = publisher;
            this.end = endNanos;
            this.unit = context.protocol().publishUnit(publisher.alloc(), channel, payload, batch);
            this.acksPerUnit = unit.acks();
            started = true;
            for (int i = 0; i < window; i++) {
                send();
            }
            connection.flush();
        }

        private void send() {
            unit.writeTo(connection);
            sentAt.add(System.nanoTime());
            sent += batch;
            inFlight++;
        }

        @Override
        public void acked(WsConnection from) {
            if (!started) {
                super.acked(from);
            } else {
                answered(true);
            }
        }

        @Override
        public void failed(WsConnection from, String error) {
            super.failed(from, error);
            if (started) {
                answered(false);
            }
        }

        private void answered(boolean ok) {
            long now = System.nanoTime();
            if (ok) {
                accepted += acksPerUnit == 1 ? batch : 1;
            }
            if (++acksInUnit < acksPerUnit) {
                return;
            }
            acksInUnit = 0;
            inFlight--;
            lastNanos = now;
            Long at = sentAt.poll();
            if (at != null) {
                rtt.recordValue(Math.max(0, Math.min(rtt.getHighestTrackableValue(), (now - at) / 1000)));
            }
            if (now - end < 0) {
                send();
                connection.flush();
            }
        }

        boolean idle() {
            return started && inFlight == 0;
        }

        Totals totals() {
            if (unit != null) {
                unit.release();
                unit = null;
            }
            return new Totals(sent, accepted, lastNanos, rtt.copy());
        }

        record Totals(long sent, long accepted, long lastNanos, Histogram rtt) {}
    }
}
