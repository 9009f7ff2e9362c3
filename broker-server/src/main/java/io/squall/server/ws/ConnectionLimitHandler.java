package io.squall.server.ws;

import io.micrometer.core.instrument.Counter;
import io.squall.core.error.HttpRefusal;
import io.squall.server.http.Responses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Refuses a handshake with 503 while {@code max.connections} WebSockets are open on the endpoint, before the origin
 * and token checks spend anything on it. The count is read at each handshake, so handshakes answered at the same
 * moment may pass it by a few. 0 means no cap of its own (the descriptor reserve still applies).
 */
public final class ConnectionLimitHandler implements HttpHandler {
    private final WsEndpoint endpoint;
    private final int maxConnections;
    private final Counter refused;
    private final HttpHandler next;

    public ConnectionLimitHandler(WsEndpoint endpoint, int maxConnections, Counter refused, HttpHandler next) {
        this.endpoint = endpoint;
        this.maxConnections = maxConnections;
        this.refused = refused;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (maxConnections > 0 && endpoint.openConnections() >= maxConnections) {
            refused.increment();
            Responses.refuse(exchange, HttpRefusal.TOO_MANY_CONNECTIONS);
            return;
        }
        next.handleRequest(exchange);
    }
}
