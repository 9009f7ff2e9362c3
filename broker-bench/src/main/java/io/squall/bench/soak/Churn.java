package io.squall.bench.soak;

import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.squall.bench.net.WsConnection;
import io.squall.bench.net.WsConnector;
import io.squall.bench.net.WsTarget;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connect, subscribe to a fan-out channel, receive a few publications (contiguous from the first: a gap is a
 * loss), leave: every other cycle with a close frame, the rest by dropping the TCP connection. At most
 * {@link #MAX_IN_FLIGHT} cycles at once; a cycle that gets fewer within {@link #PATIENCE_MILLIS} leaves anyway, and
 * one that got nothing at all is counted as starved.
 */
final class Churn {
    static final int MAX_IN_FLIGHT = 50;
    static final int RECEIVE = 3;
    static final long PATIENCE_MILLIS = 20_000;

    final Tally tally = new Tally("churn");
    final AtomicLong cycles = new AtomicLong();
    final AtomicLong cleanCloses = new AtomicLong();
    final AtomicLong connectFailures = new AtomicLong();
    final AtomicLong starved = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<Client> live = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    private final WsConnector connector;
    private final URI uri;
    private final String[] channels;
    private final ScheduledExecutorService timer;

    Churn(WsConnector connector, URI uri, String[] channels, ScheduledExecutorService timer) {
        this.connector = connector;
        this.uri = uri;
        this.channels = channels.clone();
        this.timer = timer;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Starts one cycle unless too many are running. */
    void cycle() {
        if (stopped || inFlight.get() >= MAX_IN_FLIGHT) {
            return;
        }
        inFlight.incrementAndGet();
        long n = cycles.incrementAndGet();
        boolean clean = n % 2 == 0;
        Client client = new Client(clean);
        live.add(client);
        connector.connect(new WsTarget(uri, null, Map.of(), true), client, client, (int) n)
                .whenComplete((connection, error) -> {
                    if (error != null) {
                        connectFailures.incrementAndGet();
                        tally.note("churn connect failed: " + error);
                        client.left = true; // its channel's close, if it had one, is not a second outcome
                        live.remove(client);
                        inFlight.decrementAndGet();
                        return;
                    }
                    client.subscribe(connection, List.of(channels[(int) (n % channels.length)]));
                    if (stopped) {
                        client.leave(false);
                        return;
                    }
                    timer.schedule(() -> connection.loop().execute(() -> client.leave(true)), PATIENCE_MILLIS,
                            TimeUnit.MILLISECONDS);
                });
    }

    /** The end of the run: no new cycles, and every client still in one leaves now (on its loop). */
    void stop() {
        stopped = true;
        for (Client client : live) {
            WsConnection open = client.connection;
            if (open != null) {
                open.loop().execute(() -> client.leave(false));
            }
        }
    }

    private final class Client extends SoakClient {
        private final boolean clean;
        private volatile boolean left;

        Client(boolean clean) {
            super(Churn.this.tally, -1);
            this.clean = clean;
        }

        @Override
        void received(SeqCheck check) {
            if (check.received() >= RECEIVE) {
                leave(false);
            }
        }

        /** On the loop thread. */
        void leave(boolean timedOut) {
            if (left) {
                return;
            }
            left = true;
            live.remove(this);
            if (timedOut && !closed && streams.isEmpty()) {
                starved.incrementAndGet();
                tally.note("a churn client got nothing for " + PATIENCE_MILLIS + " ms");
            }
            for (SeqCheck check : streams.values()) {
                tally.lost.addAndGet(check.gaps());
            }
            closing = true;
            WsConnection open = connection;
            if (open == null) {
                inFlight.decrementAndGet();
                return;
            }
            if (clean && open.isOpen()) {
                cleanCloses.incrementAndGet();
                open.writeFrame(new CloseWebSocketFrame(1000, "bye"));
                open.loop().schedule(open::close, 2, TimeUnit.SECONDS); // the broker's echo closes it sooner
            } else {
                open.close();
            }
            inFlight.decrementAndGet();
        }

        @Override
        public void closed(WsConnection from) {
            boolean early = !left;
            closed = true;
            if (early) {
                tally.unexpectedCloses.incrementAndGet();
                tally.note("a churn client was closed by the broker before leaving");
                leave(false);
            }
        }
    }
}
