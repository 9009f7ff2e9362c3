package io.squall.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;

/**
 * Stands in front of one listener's HTTP parser and keeps the connections that have not yet sent a whole first
 * request head, the ones slowloris holds (each a descriptor and a parse state): at most
 * {@link HttpLimits#maxPendingConnections()} of them (new connections past it are refused), each closed unless its
 * head is complete {@link HttpLimits#headerTimeout()} after its opening. Undertow's own timeouts cannot say "from
 * the opening": its idle timer stops at the first byte and its parse timer starts there, so a peer that waited
 * before trickling would get both. Later heads on a kept-alive connection are left to those timers.
 *
 * <p>Every connection is counted in the {@link DescriptorReserve} while open; the public listener's gate also
 * refuses connections that would eat into the reserve. A refused connection gets a 503 if its socket takes one at
 * once, and is closed without a byte of it read.
 */
final class ConnectionGate implements ChannelListener<StreamConnection> {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);
    private static final byte[] SERVICE_UNAVAILABLE =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);

    private final ChannelListener<StreamConnection> parser;
    private final long timeoutMillis;
    private final int maxPending;
    private final DescriptorReserve descriptors;
    private final boolean keepsReserve;
    /** pending connections and their deadlines; an entry leaves at its head, its close or its deadline */
    private final ConcurrentMap<StreamConnection, XnioExecutor.Key> pending = new ConcurrentHashMap<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final Counter refusedPending;
    private final Counter refusedDescriptors;
    private final Counter timedOut;

    /** {@code keepsReserve}: this listener refuses connections the {@code descriptors} reserve cannot spare. */
    ConnectionGate(String listener, ChannelListener<StreamConnection> parser, HttpLimits limits,
            DescriptorReserve descriptors, boolean keepsReserve, MeterRegistry meters) {
        this.parser = parser;
        this.timeoutMillis = limits.headerTimeout().toMillis();
        this.maxPending = limits.maxPendingConnections();
        this.descriptors = descriptors;
        this.keepsReserve = keepsReserve;
        Gauge.builder("broker.connections.pending", pendingCount, AtomicInteger::get)
                .description("Connections that have not yet sent a whole first request head")
                .tag("listener", listener)
                .register(meters);
        this.refusedPending = refusedCounter(listener, "pending", meters);
        this.refusedDescriptors = refusedCounter(listener, "descriptors", meters);
        this.timedOut = Counter.builder("broker.http.header.timeouts")
                .description("Connections closed because their first request head was not complete in time")
                .tag("listener", listener)
                .register(meters);
    }

    /** Refusals of one listener for one reason; the WebSocket endpoint counts its own under the same name. */
    static Counter refusedCounter(String listener, String reason, MeterRegistry meters) {
        return Counter.builder("broker.connections.refused")
                .description("Connections and handshakes refused: too many pending, descriptors kept in reserve,"
                        + " max.connections reached, or an origin not allowed")
                .tag("listener", listener)
                .tag("reason", reason)
                .register(meters);
    }

    /** A connection was accepted (on its IO thread). */
    @Override
    public void handleEvent(StreamConnection connection) {
        if (keepsReserve && !descriptors.admits()) {
            refuse(connection, refusedDescriptors);
            return;
        }
        if (pendingCount.incrementAndGet() > maxPending) {
            pendingCount.decrementAndGet();
            refuse(connection, refusedPending);
            return;
        }
        descriptors.opened();
        pending.put(connection, connection.getIoThread().executeAfter(() -> expire(connection), timeoutMillis,
                TimeUnit.MILLISECONDS));
        connection.setCloseListener(this::closed); // XNIO keeps the parser's close listener next to this one
        parser.handleEvent(connection); // may read and handle a whole first request at once
    }

    private static void refuse(StreamConnection connection, Counter reason) {
        reason.increment();
        try {
            connection.getSinkChannel().write(ByteBuffer.wrap(SERVICE_UNAVAILABLE));
        } catch (IOException ignored) {
            // gone already: closed below either way
        }
        IoUtils.safeClose(connection);
    }

    private void closed(StreamConnection connection) {
        descriptors.closed();
        headDone(connection);
    }

    /** Wraps a listener's root handler, which Undertow calls once a request head is complete. */
    HttpHandler headsTo(HttpHandler next) {
        return exchange -> {
            if (exchange.getConnection() instanceof AbstractServerConnection http) {
                headDone(http.getChannel());
            }
            next.handleRequest(exchange);
        };
    }

    private void headDone(StreamConnection connection) {
        XnioExecutor.Key deadline = pending.remove(connection);
        if (deadline != null) {
            deadline.remove();
            pendingCount.decrementAndGet();
        }
    }

    private void expire(StreamConnection connection) {
        if (pending.remove(connection) != null) {
            pendingCount.decrementAndGet();
            timedOut.increment();
            log.debug("{} sent no whole request head within {} ms", connection.getPeerAddress(), timeoutMillis);
            IoUtils.safeClose(connection);
        }
    }

    int pendingConnections() {
        return pendingCount.get();
    }
}
