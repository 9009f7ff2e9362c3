package io.squall.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/** Lets a request through only with the right {@code X-Backend-Key} (used before the backend WebSocket handshake). */
public final class BackendKeyHandler implements HttpHandler {
    private final ApiKeyCheck keys;
    private final HttpHandler next;

    public BackendKeyHandler(ApiKeyCheck keys, HttpHandler next) {
        this.keys = keys;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        ApiKeyCheck.Result result = keys.check(exchange);
        if (result != ApiKeyCheck.Result.OK) {
            Responses.refuse(exchange, result.refusal());
            return;
        }
        next.handleRequest(exchange);
    }
}
