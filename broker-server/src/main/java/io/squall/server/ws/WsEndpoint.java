package io.squall.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.error.CloseCode;
import io.squall.core.error.ErrorName;
import io.squall.core.loop.EventLoop;
import io.squall.core.loop.LoopOverloadedException;
import io.squall.core.protocol.Decoded;
import io.squall.core.protocol.ProtocolCodec;
import io.squall.server.hooks.Handshake;
import io.undertow.server.ServerConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;

/**
 * A WebSocket door into one {@link ServiceRegistry}: the public one for browsers and apps, or the private one for
 * backends. Owns its connections' lifecycle and their liveness (one shared ping sweep on the loop, not a timer
 * per connection).
 */
public final class WsEndpoint {
    /** how long a closing peer gets to answer our close frame before the socket is cut */
    private static final long CLOSE_GRACE_MILLIS = 2_000;
    private static final Logger log = LoggerFactory.getLogger(WsEndpoint.class);
    private final String transport;
    private final ServiceRegistry registry;
    private final ServiceContext context;
    private final WsLimits limits;
    /** loop thread only; each client knows its slot, so removal swaps the last one in (no per-entry node) */
    private final ArrayList<WsClient> clients = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Counter slowConsumers;
    private final Counter pongTimeouts;
    private final Counter overloaded;
    private final CloseMeters closes;
    private final ConcurrentMap<XnioIoThread, FlushQueue> flushQueues = new ConcurrentHashMap<>();
    private ConnectionListener listener; // loop only

    public WsEndpoint(String transport, ServiceRegistry registry, ServiceContext context, WsLimits limits) {
        this.transport = transport;
        this.registry = registry;
        this.context = context;
        this.limits = limits;
        var meters = context.metrics().registry();
        Gauge.builder("broker.connections", open, AtomicInteger::get)
                .description("Open WebSocket connections")
                .tag("transport", transport)
                .register(meters);
        this.slowConsumers = Counter.builder("broker.clients.slow.closed")
                .description("Connections closed because their outbound queue passed the limit")
                .tag("transport", transport)
                .register(meters);
        this.pongTimeouts = Counter.builder("broker.clients.pong.timeout")
                .description("Connections closed because a ping went unanswered")
                .tag("transport", transport)
                .register(meters);
        this.overloaded = Counter.builder("broker.frames.overloaded")
                .description("Frames answered Overloaded because the loop queue was full")
                .tag("transport", transport)
                .register(meters);
        this.closes = new CloseMeters(transport, meters);
        // counted by each IO thread's flush queue in its own fields, off the per-flush path, and summed on scrape
        FunctionCounter.builder("broker.ws.flushes", flushQueues, queues -> sum(queues, FlushQueue::flushes))
                .description("Socket flushes; several queued frames share one (write coalescing)")
                .tag("transport", transport)
                .register(meters);
        FunctionCounter.builder("broker.ws.frames.out", flushQueues, queues -> sum(queues, FlushQueue::frames))
                .description("Frames handed to the socket")
                .tag("transport", transport)
                .register(meters);
        long tick = Math.max(50, Math.min(limits.pingInterval().toMillis(), limits.pongTimeout().toMillis()) / 2);
        context.loop().scheduleAtFixedRate(java.time.Duration.ofMillis(tick), java.time.Duration.ofMillis(tick),
                this::sweep);
    }

    /**
     * IO thread: the handshake is answered and Undertow hands over the raw socket; from here on Squall frames it
     * itself. {@code http} is the connection's Undertow side, which reports the socket's close.
     */
    void open(StreamConnection connection, ServerConnection http, JsonNode identity, Handshake handshake) {
        open.incrementAndGet();
        WsClient client = new WsClient(connection, this, identity, handshake == null ? Handshake.NONE : handshake,
                nanoTime());
        http.addCloseListener(closed -> {
            open.decrementAndGet();
            closes.closed(client.closeCode());
            client.closed();
            context.loop().executeCritical(() -> disconnect(client));
        });
        context.loop().executeCritical(() -> connect(client));
        var source = connection.getSourceChannel();
        source.setReadListener(new WsReadListener(client, this));
        source.resumeReads();
    }

    /** IO thread: hands a decoded frame (or its error reply) to the loop, in arrival order. */
    void received(WsClient client, Decoded decoded) {
        Runnable task = () -> handle(client, decoded);
        try {
            context.loop().execute(task);
        } catch (LoopOverloadedException e) {
            overloaded.increment();
            client.send(overloadedReply(decoded));
        }
    }

    /**
     * IO thread: hands several frames decoded from one read to the loop as one task, in arrival order. If the loop
     * cannot take it, every frame is answered {@code Overloaded}, in order, exactly as if each had been refused.
     */
    void received(WsClient client, Decoded[] batch) {
        try {
            context.loop().execute(() -> {
                for (Decoded decoded : batch) {
                    if (!handle(client, decoded)) {
                        return; // the client is gone: its remaining frames go with it
                    }
                }
            });
        } catch (LoopOverloadedException e) {
            overloaded.increment(batch.length);
            for (Decoded decoded : batch) {
                client.send(overloadedReply(decoded));
            }
        }
    }

    /** Loop: one frame; a failure is logged and the rest of its batch goes on, as the loop does between tasks. */
    private boolean handle(WsClient client, Decoded decoded) {
        try {
            switch (decoded) {
                case Decoded.Ok ok -> {
                    if (!connect(client)) {
                        return false;
                    }
                    registry.dispatch(client, ok.envelope());
                }
                case Decoded.Rejected rejected -> registry.reject(client, rejected);
            }
        } catch (RuntimeException e) {
            log.error("frame from {} failed", client.describe(), e);
        }
        return true;
    }

    private io.squall.core.protocol.EncodedMessage overloadedReply(Decoded decoded) {
        String service = decoded instanceof Decoded.Ok ok ? ok.envelope().service() : null;
        var callId = decoded instanceof Decoded.Ok ok ? ProtocolCodec.callIdOf(ok.envelope().message()) : null;
        return codec().error(service, callId, ErrorName.OVERLOADED);
    }

    /** Told on the loop, after the registry, of each client that connects and leaves (the proxies' sessions). */
    public interface ConnectionListener {
        void connected(Client client);

        void disconnected(Client client);
    }

    /** Loop, at start: the one listener (null: none). */
    public void listen(ConnectionListener listener) {
        this.listener = listener;
    }

    /** Loop: registers the client once; false when it is already gone (its frames are then dropped with it). */
    private boolean connect(WsClient client) {
        if (client.state == WsClient.State.NEW) {
            client.state = WsClient.State.CONNECTED;
            client.slot = clients.size();
            clients.add(client);
            registry.connected(client);
            if (listener != null) {
                listener.connected(client);
            }
        }
        return client.state == WsClient.State.CONNECTED;
    }

    private void disconnect(WsClient client) {
        if (client.state == WsClient.State.CONNECTED) {
            WsClient last = clients.remove(clients.size() - 1);
            if (last != client) {
                clients.set(client.slot, last);
                last.slot = client.slot;
            }
            client.slot = -1;
            registry.disconnected(client);
            if (listener != null) {
                listener.disconnected(client);
            }
        }
        client.state = WsClient.State.GONE;
    }

    /** Loop: pings idle connections and closes those whose ping went unanswered for the pong timeout. */
    private void sweep() {
        long now = nanoTime();
        long interval = limits.pingInterval().toNanos();
        long timeout = limits.pongTimeout().toNanos();
        List<WsClient> dead = null;
        for (WsClient client : clients) {
            if (client.isClosing()) {
                continue; // already being closed (maybe by an earlier sweep): neither ping nor count it again
            }
            long heard = client.lastHeardNanos();
            if (client.pingSentNanos != 0) {
                if (heard - client.pingSentNanos >= 0) {
                    client.pingSentNanos = 0; // answered
                } else if (now - client.pingSentNanos > timeout) {
                    if (dead == null) {
                        dead = new ArrayList<>();
                    }
                    dead.add(client);
                    continue;
                } else {
                    continue;
                }
            }
            if (now - Math.max(heard, client.lastPingNanos) >= interval) {
                client.pingSentNanos = now;
                client.lastPingNanos = now;
                client.ping();
            }
        }
        if (dead != null) {
            for (WsClient client : dead) {
                pongTimeouts.increment();
                client.close(CloseCode.PONG_TIMEOUT);
            }
        }
    }

    /** Loop: closes every connection (graceful shutdown sends 1001). */
    public void closeAll(CloseCode reason) {
        context.loop().checkInLoop();
        for (WsClient client : clients) {
            client.close(reason);
        }
    }

    void slowConsumer(WsClient client) {
        if (!client.isClosing()) {
            slowConsumers.increment();
        }
    }

    /** The flush queue of one IO thread (created when its first connection arrives). */
    FlushQueue flushQueue(XnioIoThread ioThread) {
        return flushQueues.computeIfAbsent(ioThread, FlushQueue::new);
    }

    private static double sum(ConcurrentMap<XnioIoThread, FlushQueue> queues,
            ToLongFunction<FlushQueue> counter) {
        long total = 0;
        for (FlushQueue queue : queues.values()) {
            total += counter.applyAsLong(queue);
        }
        return total;
    }

    /** Cuts the socket after a grace period in which the peer may answer our close frame (or never does). */
    void closeLater(StreamConnection connection) {
        connection.getIoThread().executeAfter(() -> IoUtils.safeClose(connection), CLOSE_GRACE_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    public int openConnections() {
        return open.get();
    }

    String transport() {
        return transport;
    }

    WsLimits limits() {
        return limits;
    }

    ProtocolCodec codec() {
        return context.codec();
    }

    long nanoTime() {
        return context.loop().nanoTime();
    }

    EventLoop loop() {
        return context.loop();
    }
}
