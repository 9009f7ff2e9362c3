package io.squall.bench.scenario;

import io.squall.bench.net.WsConnection;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every connection in its personal channel {@code u<i>} plus a group channel {@code g<i/10>} of ten (the mix of
 * Centrifugo's million-connection test). Publications alternate: one to a personal channel (one delivery), one
 * to a group (ten), round-robin over all of them; rates are stepped in deliveries/s.
 */
public final class ManyChannels {
    private static final Logger log = LoggerFactory.getLogger(ManyChannels.class);
    static final int GROUP = 10;

    private ManyChannels() {}

    public static void run(RunContext context, int connections, int payload, List<Double> targets) {
        log.info("{} many channels: {} connections, {} B payload", context.protocol().name(), connections, payload);
        int groups = (connections + GROUP - 1) / GROUP;
        IntFunction<String> channelOf = k -> (k & 1) == 0 ? "u" + (k / 2) % connections : "g" + (k / 2) % groups;
        DeliveryRecorder recorder = new DeliveryRecorder(context.connector().loop());
        try (Crowd crowd = new Crowd(context.connector(), context.protocol(), context.endpoints(), recorder)) {
            crowd.open(0, connections, id -> List.of("u" + id, "g" + id / GROUP),
                    RunContext.openTimeout(connections));
            Counters publisherCounters = new Counters();
            WsConnection connection = context.openPublisher(publisherCounters);
            try {
                PacedPublisher publisher = new PacedPublisher(connection, context.protocol(), channelOf, payload);
                double perPublish = (1.0 + (double) connections / groups) / 2;
                RunContext warmup = context.forWarmup();
                StepMeasure.run(warmup, recorder, publisherCounters, publisher, 0, targets.get(0) / perPublish,
                        n -> expected(n, connections, groups), targets.get(0),
                        ResultRow.of(context.protocol().name(), "channels"));
                int step = 1;
                for (double target : targets) {
                    ResultRow.Builder row = ResultRow.of(context.protocol().name(), "channels");
                    row.connections = connections;
                    row.payload = payload;
                    StepMeasure.run(context, recorder, publisherCounters, publisher, step++, target / perPublish,
                            n -> expected(n, connections, groups), target, row);
                    context.sink().add(row.build());
                    if (Boolean.TRUE.equals(row.saturated) || recorder.closed.get() > 0) {
                        break;
                    }
                }
            } finally {
                connection.close();
            }
        }
    }

    /** Deliveries owed for the first {@code published} publications of the round-robin. */
    static long expected(long published, int connections, int groups) {
        long total = 0;
        for (long k = 0; k < published; k++) {
            if ((k & 1) == 0) {
                total++;
            } else {
                int group = (int) ((k / 2) % groups);
                total += Math.min(GROUP, connections - group * GROUP);
            }
        }
        return total;
    }
}
