package io.squall.server.ws;

import io.squall.core.error.HttpRefusal;
import io.squall.server.http.Responses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Refuses a handshake from an origin the {@link OriginPolicy} does not allow, with 403 before any upgrade. */
public final class OriginCheckHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(OriginCheckHandler.class);

    private final OriginPolicy policy;
    private final HttpHandler next;

    public OriginCheckHandler(OriginPolicy policy, HttpHandler next) {
        this.policy = policy;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (!policy.allows(origin, host)) {
            log.info("refused WebSocket handshake from {}: origin {} is not allowed", exchange.getSourceAddress(), origin);
            Responses.refuse(exchange, HttpRefusal.ORIGIN_NOT_ALLOWED);
            return;
        }
        next.handleRequest(exchange);
    }
}
