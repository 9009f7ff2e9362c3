package io.squall.server.ws;

import io.micrometer.core.instrument.Counter;
import io.squall.server.http.Responses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a handshake from an origin the {@link OriginPolicy} does not allow with 403 and the reason, before any
 * upgrade, and counts it ({@code broker.connections.refused{reason="origin"}}).
 */
public final class OriginCheckHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(OriginCheckHandler.class);
    private static final int LOGGED_CHARS = 200;

    private final OriginPolicy policy;
    private final Counter refused;
    private final HttpHandler next;

    public OriginCheckHandler(OriginPolicy policy, Counter refused, HttpHandler next) {
        this.policy = policy;
        this.refused = refused;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        OriginPolicy.Verdict verdict = policy.check(exchange.getRequestHeaders().get(Headers.ORIGIN));
        if (verdict != OriginPolicy.Verdict.ALLOWED) {
            refused.increment();
            if (log.isInfoEnabled()) {
                String origin = String.valueOf(exchange.getRequestHeaders().get(Headers.ORIGIN));
                log.info("refused WebSocket handshake from {}: {} {}", exchange.getSourceAddress(), verdict.message(),
                        origin.length() > LOGGED_CHARS ? origin.substring(0, LOGGED_CHARS) + "..." : origin);
            }
            Responses.refuse(exchange, verdict.refusal());
            return;
        }
        next.handleRequest(exchange);
    }
}
