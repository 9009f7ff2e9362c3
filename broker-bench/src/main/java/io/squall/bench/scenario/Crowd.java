package io.squall.bench.scenario;

import io.squall.bench.net.FrameDecoder;
import io.squall.bench.net.WsConnection;
import io.squall.bench.net.WsConnector;
import io.squall.bench.net.WsTarget;
import io.squall.bench.proto.Endpoints;
import io.squall.bench.proto.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens many subscriber (or idle) connections, a bounded number at a time so that the broker's accept backlog
 * never overflows, and waits until every login and subscription is confirmed.
 */
final class Crowd implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Crowd.class);
    private static final int IN_FLIGHT = 128;

    private final WsConnector connector;
    private final Protocol protocol;
    private final IntFunction<WsTarget> targets;
    private final Supplier<FrameDecoder> decoders;
    private final Counters counters;
    private final List<WsConnection> connections = Collections.synchronizedList(new ArrayList<>());

    /** Subscribers spread over the endpoints' nodes (connection {@code id} on node {@code id mod nodes}). */
    Crowd(WsConnector connector, Protocol protocol, Endpoints endpoints, Counters counters) {
        this(connector, protocol, id -> protocol.subscriberTarget(endpoints.forSubscriber(id)),
                () -> protocol.decoder(counters), counters);
    }

    /** Connections to {@code targets.apply(id)} read by the decoders given (which report to {@code counters}). */
    Crowd(WsConnector connector, Protocol protocol, IntFunction<WsTarget> targets, Supplier<FrameDecoder> decoders,
            Counters counters) {
        this.connector = connector;
        this.protocol = protocol;
        this.targets = targets;
        this.decoders = decoders;
        this.counters = counters;
    }

    /** What a new connection sends first; returns the acks it earns. */
    @FunctionalInterface
    interface Opener {
        int open(WsConnection connection, int id);
    }

    /**
     * Opens connections {@code first .. first+count-1}; each subscribes to {@code channelsOf(id)} (an empty list
     * makes an idle, logged-in connection). Throws when one fails or the broker does not confirm them in time.
     */
    void open(int first, int count, IntFunction<List<String>> channelsOf, Duration timeout) {
        open(first, count, (connection, id) -> {
            List<String> channels = channelsOf.apply(id);
            return channels.isEmpty() ? protocol.openIdle(connection) : protocol.openSubscriber(connection, channels);
        }, timeout);
    }

    /** Opens connections {@code first .. first+count-1}, each starting with what {@code opener} writes. */
    void open(int first, int count, Opener opener, Duration timeout) {
        Semaphore permits = new Semaphore(IN_FLIGHT);
        AtomicLong expectedAcks = new AtomicLong(counters.acks.get());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int id = first; id < first + count && failure.get() == null; id++) {
            acquire(permits, deadline);
            int index = id;
            connector.connect(targets.apply(id), decoders.get(), counters, id)
                    .whenComplete((connection, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                            permits.release();
                            return;
                        }
                        connections.add(connection);
                        int acks = opener.open(connection, index);
                        expectedAcks.addAndGet(acks);
                        connection.flush();
                        permits.release();
                    });
        }
        acquire(permits, deadline, IN_FLIGHT);
        permits.release(IN_FLIGHT);
        if (failure.get() != null) {
            throw new IllegalStateException("a connection failed after " + connections.size() + ": "
                    + failure.get(), failure.get());
        }
        boolean confirmed = Steps.waitFor(() -> counters.acks.get() >= expectedAcks.get() || counters.errors.get() > 0,
                Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        if (!confirmed || counters.errors.get() > 0) {
            throw new IllegalStateException("subscriptions not confirmed: " + counters.acks.get() + " of "
                    + expectedAcks.get() + " acks, " + counters.errors.get() + " errors (" + counters.firstError() + ")");
        }
        log.info("  {} connections open and confirmed", connections.size());
    }

    int size() {
        return connections.size();
    }

    private static void acquire(Semaphore permits, long deadline) {
        acquire(permits, deadline, 1);
    }

    private static void acquire(Semaphore permits, long deadline, int count) {
        try {
            if (!permits.tryAcquire(count, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("connections did not open in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        List<WsConnection> all;
        synchronized (connections) {
            all = List.copyOf(connections);
            connections.clear();
        }
        for (WsConnection connection : all) {
            connection.close();
        }
    }
}
