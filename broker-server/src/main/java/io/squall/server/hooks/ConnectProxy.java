package io.squall.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.error.ErrorName;
import io.squall.core.loop.EventLoop;
import io.squall.core.loop.LoopOverloadedException;
import io.squall.server.security.AuthHandshakeHandler;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connect proxy, in the WebSocket handshake: a connection without a token (in place of the token check), or
 * with {@code proxy.connect.always} every one (after the token check), waits for the application's answer before it
 * is upgraded. The handshake
 * fits because it is where Squall already decides who connects ({@link AuthHandshakeHandler}): a refused
 * connection never becomes a WebSocket, holds nothing, and is refused in plain HTTP like a bad token. Allowed: its
 * identity (and what else the answer gave) rides on the exchange to the endpoint; refused ({@code error} or
 * {@code disconnect}): 403 with the error name (or reason) as the body; no usable answer: 503.
 */
final class ConnectProxy implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ConnectProxy.class);

    private final ProxyCaller caller;
    private final EventLoop loop;
    private final ConnectionIds ids;
    private final HttpHandler next;

    ConnectProxy(ProxyCaller caller, EventLoop loop, ConnectionIds ids, HttpHandler next) {
        this.caller = caller;
        this.loop = loop;
        this.ids = ids;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        boolean upgrade = "websocket".equalsIgnoreCase(exchange.getRequestHeaders().getFirst(Headers.UPGRADE));
        if (!upgrade) {
            next.handleRequest(exchange); // not a handshake: refused next, the application is not bothered
            return;
        }
        Handshake known = exchange.getAttachment(Handshake.KEY);
        Handshake handshake = known == null ? Handshake.NONE : known;
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("transport", "websocket");
        body.put("remote", exchange.getSourceAddress().getAddress().getHostAddress());
        body.put("origin", exchange.getRequestHeaders().getFirst(Headers.ORIGIN));
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            try {
                loop.execute(() -> {
                    String id = ids.fresh();
                    body.put("client", id);
                    caller.call(body, handshake.headers(), answer -> exchange.getIoThread().execute(
                            () -> answered(exchange, handshake, id, answer)));
                });
            } catch (LoopOverloadedException e) {
                exchange.getIoThread().execute(() -> refuse(exchange, 503, ErrorName.OVERLOADED.wireName()));
            }
        });
    }

    /** IO thread: upgrades or refuses, as the application said. */
    private void answered(HttpServerExchange exchange, Handshake handshake, String id, ProxyAnswer answer) {
        switch (answer) {
            case ProxyAnswer.Result result -> {
                String wrong = grant(exchange, handshake, id, result.result());
                if (wrong != null) {
                    log.warn("connect proxy answer refused: {}", wrong);
                    refuse(exchange, 503, ErrorName.UNAVAILABLE.wireName());
                    return;
                }
                Connectors.executeRootHandler(next, exchange);
            }
            case ProxyAnswer.Refused refused -> refuse(exchange, 403, refused.name());
            case ProxyAnswer.Disconnect disconnect -> refuse(exchange, 403, disconnect.reason());
            case ProxyAnswer.Failed failed -> refuse(exchange, 503, failed.error().wireName());
        }
    }

    /** Attaches what the result grants; returns what is wrong with it instead, or null. */
    private static String grant(HttpServerExchange exchange, Handshake handshake, String id, JsonNode result) {
        JsonNode identity = result.get("identity");
        JsonNode expiresAt = result.get("expiresAt");
        JsonNode channels = result.get("channels");
        if (identity == null) {
            return "result.identity is missing (null for an anonymous connection)";
        }
        if (expiresAt != null && !expiresAt.isNull() && !(expiresAt.isIntegralNumber() && expiresAt.canConvertToLong()
                && expiresAt.longValue() > 0)) {
            return "result.expiresAt is not epoch seconds";
        }
        if (channels != null && !channels.isNull() && !channels.isArray()) {
            return "result.channels is not an array";
        }
        List<JsonNode> subscribe = new ArrayList<>();
        if (channels != null) {
            channels.forEach(subscribe::add);
        }
        if (!identity.isNull()) {
            exchange.putAttachment(AuthHandshakeHandler.IDENTITY, identity);
        }
        JsonNode data = result.get("data");
        long expiry = expiresAt == null || expiresAt.isNull() ? 0 : expiresAt.longValue();
        exchange.putAttachment(Handshake.KEY, handshake.granted(id, data, expiry, subscribe));
        return null;
    }

    private static void refuse(HttpServerExchange exchange, int status, String reason) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(reason);
    }
}
