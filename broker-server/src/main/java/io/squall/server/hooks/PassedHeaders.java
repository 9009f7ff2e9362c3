package io.squall.server.hooks;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The handshake headers named in {@code proxy.headers}, kept with the connection and sent on each of its proxy
 * calls (e.g. the application's session {@code Cookie}). Only those: anything else the browser sent stays here.
 */
public final class PassedHeaders {
    private PassedHeaders() {}

    /** Of {@code client}: its passed headers, or none for a transport without a handshake. */
    public static Map<String, String> of(Object client) {
        return Handshake.of(client).headers();
    }

    /** A handler that attaches the allowed headers of the exchange, then runs {@code next}. */
    public static HttpHandler capture(List<String> allowlist, HttpHandler next) {
        if (allowlist.isEmpty()) {
            return next;
        }
        return exchange -> {
            Map<String, String> headers = read(allowlist, exchange);
            if (!headers.isEmpty()) {
                exchange.putAttachment(Handshake.KEY, Handshake.NONE.withHeaders(headers));
            }
            next.handleRequest(exchange);
        };
    }

    static Map<String, String> read(List<String> allowlist, HttpServerExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : allowlist) {
            HeaderValues values = exchange.getRequestHeaders().get(name);
            if (values != null && !values.isEmpty()) {
                headers.put(name, String.join(", ", values)); // one line, as HTTP allows for repeated headers
            }
        }
        return Map.copyOf(headers);
    }
}
