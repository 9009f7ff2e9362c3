package io.squall.server.http;

import io.squall.core.error.HttpRefusal;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;

/** Small helpers to finish an exchange with a status and a body. */
public final class Responses {
    private Responses() {}

    /** A refusal of either port (401, 403, 400...): its status and plain-text UTF-8 body, all alike. */
    public static void refuse(HttpServerExchange exchange, HttpRefusal refusal) {
        send(exchange, refusal, refusal.body());
    }

    /** A refusal whose body names a number, e.g. the limit a body passed ({@link HttpRefusal#body(long)}). */
    public static void refuse(HttpServerExchange exchange, HttpRefusal refusal, long n) {
        send(exchange, refusal, refusal.body(n));
    }

    private static void send(HttpServerExchange exchange, HttpRefusal refusal, String body) {
        exchange.setStatusCode(refusal.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(body);
    }

    static void json(HttpServerExchange exchange, int status, ByteBuffer body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body);
    }
}
