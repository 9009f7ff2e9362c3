package io.squall.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.squall.core.error.HttpRefusal;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * {@code GET /metrics} in Prometheus text format; the scrape runs on a worker thread, never on an IO thread. With
 * {@code metrics.key} set it asks for {@code Authorization: Bearer <metrics.key>} (what Prometheus sends with
 * {@code authorization: {credentials: ...}}), compared in constant time as the backend key is; without it the page
 * is open, like {@code /health}, and the private port's binding (loopback by default) is what protects it.
 */
public final class MetricsHandler implements HttpHandler {
    private static final String BEARER = "Bearer ";
    private static final String CHALLENGE = "Bearer realm=\"squall-metrics\"";

    private final PrometheusMeterRegistry registry;
    private final byte[] keyDigest; // null: open

    public MetricsHandler(PrometheusMeterRegistry registry, Optional<String> key) {
        this.registry = registry;
        this.keyDigest = key.map(MetricsHandler::sha256).orElse(null);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (keyDigest != null) {
            HttpRefusal refusal = refusal(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
            if (refusal != null) {
                exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, CHALLENGE);
                Responses.refuse(exchange, refusal);
                return;
            }
        }
        if (exchange.isInIoThread()) {
            exchange.dispatch(() -> scrape(exchange));
            return;
        }
        scrape(exchange);
    }

    private void scrape(HttpServerExchange exchange) {
        String body = registry.scrape();
        exchange.setStatusCode(StatusCodes.OK);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        exchange.getResponseSender().send(body);
    }

    /** Null when the header carries the key; else the 401's text. */
    private HttpRefusal refusal(String authorization) {
        if (authorization == null) {
            return HttpRefusal.METRICS_KEY_MISSING;
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return HttpRefusal.TOKEN_BAD_SCHEME;
        }
        String presented = authorization.substring(BEARER.length()).strip();
        return MessageDigest.isEqual(keyDigest, sha256(presented)) ? null : HttpRefusal.METRICS_KEY_INVALID;
    }

    // digests first, so neither the key's bytes nor its length leak through timing
    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
