package io.squall.bench.scenario;

import io.squall.bench.net.WsConnection;
import io.squall.bench.proto.Marker;
import io.squall.bench.proto.Protocol;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Publishes on a fixed schedule: publication {@code k} of a step is due at {@code start + k / rate} and carries
 * that intended time, whenever it actually leaves. A late publisher therefore shows up as latency, not as a
 * lower offered rate. Due publications are handed to the loop in small batches (one task, one flush).
 */
final class PacedPublisher {
    private static final int MAX_BATCH = 256;
    private static final int MAX_TASKS_IN_FLIGHT = 64;

    private final WsConnection connection;
    private final Protocol protocol;
    private final IntFunction<String> channelOf;
    private final int payloadBytes;
    private final AtomicInteger tasksInFlight = new AtomicInteger();

    PacedPublisher(WsConnection connection, Protocol protocol, IntFunction<String> channelOf, int payloadBytes) {
        this.connection = connection;
        this.protocol = protocol;
        this.channelOf = channelOf;
        this.payloadBytes = payloadBytes;
    }

    /**
     * Publishes {@code count} publications at {@code ratePerSecond} for {@code step}; returns how many were
     * handed to the connection (fewer only if the connection closed or the time bound passed).
     */
    long run(int step, double ratePerSecond, long count) {
        double period = 1e9 / ratePerSecond;
        long start = System.nanoTime() + 1_000_000;
        // bounded in time too: a publisher that cannot keep up gives up at twice the step's length plus 10 s
        long deadline = start + (long) (count * period * 2) + 10_000_000_000L;
        long next = 0;
        while (next < count && connection.isOpen() && System.nanoTime() - deadline < 0) {
            long now = System.nanoTime();
            long due = Math.min(count, (long) Math.floor((now - start) / period) + 1);
            if (due > next && tasksInFlight.get() < MAX_TASKS_IN_FLIGHT) {
                long from = next;
                long to = Math.min(due, from + MAX_BATCH);
                tasksInFlight.incrementAndGet();
                connection.loop().execute(() -> write(step, start, period, from, to));
                next = to;
            } else {
                long wait = (long) (start + next * period) - now;
                LockSupport.parkNanos(Math.max(20_000, Math.min(wait, 1_000_000)));
            }
        }
        Steps.waitFor(() -> tasksInFlight.get() == 0, java.time.Duration.ofSeconds(30));
        return next;
    }

    private void write(int step, long start, double period, long from, long to) {
        try {
            for (long k = from; k < to; k++) {
                long intended = start + (long) (k * period);
                protocol.publish(connection, channelOf.apply((int) k), Marker.payload(payloadBytes, intended, step));
            }
            connection.flush();
        } finally {
            tasksInFlight.decrementAndGet();
        }
    }
}
