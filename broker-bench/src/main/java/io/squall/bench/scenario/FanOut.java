package io.squall.bench.scenario;

import io.squall.bench.net.WsConnection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel, many subscribers: the publisher sends at stepped rates (given in deliveries/s) until the broker
 * saturates (losses, disconnects, or under 90 % of the asked rate), and every step checks delivered == published
 * times subscribers.
 */
public final class FanOut {
    private static final Logger log = LoggerFactory.getLogger(FanOut.class);
    static final String CHANNEL = "bench";

    private FanOut() {}

    public static void run(RunContext context, int subscribers, int payload, List<Double> targets) {
        run(context, "fanout", subscribers, payload, targets);
    }

    /**
     * The fan-out under another scenario name: {@code cluster} (subscribers spread over the endpoints' nodes, the
     * publisher on the first) or {@code regression} (the same steps against two builds).
     */
    public static void run(RunContext context, String scenario, int subscribers, int payload, List<Double> targets) {
        log.info("{} {}: {} subscribers over {} node(s), {} B payload", context.protocol().name(), scenario,
                subscribers, context.endpoints().subscriberNodes().size(), payload);
        DeliveryRecorder recorder = new DeliveryRecorder(context.connector().loop());
        try (Crowd crowd = new Crowd(context.connector(), context.protocol(), context.endpoints(), recorder)) {
            crowd.open(0, subscribers, id -> List.of(CHANNEL), RunContext.openTimeout(subscribers));
            if (context.endpoints().subscriberNodes().size() > 1) {
                // a subscription confirmed by its node may take a moment to reach the others (NATS's route interest)
                Steps.sleep(2000);
            }
            Counters publisherCounters = new Counters();
            WsConnection connection = context.openPublisher(publisherCounters);
            try {
                PacedPublisher publisher = new PacedPublisher(connection, context.protocol(), k -> CHANNEL, payload);
                RunContext warmup = context.forWarmup();
                StepMeasure.run(warmup, recorder, publisherCounters, publisher, 0, targets.get(0) / subscribers,
                        n -> n * subscribers, targets.get(0), ResultRow.of(context.protocol().name(), scenario));
                int step = 1;
                for (double target : targets) {
                    ResultRow.Builder row = ResultRow.of(context.protocol().name(), scenario);
                    row.connections = subscribers;
                    row.payload = payload;
                    StepMeasure.run(context, recorder, publisherCounters, publisher, step++, target / subscribers,
                            n -> n * subscribers, target, row);
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
}
