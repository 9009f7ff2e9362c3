package io.squall.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.error.HttpRefusal;
import io.squall.server.http.Responses;
import io.squall.server.hooks.Handshake;
import io.squall.server.security.AuthHandshakeHandler;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The server side of the WebSocket opening handshake (RFC 6455 §4.2) for version 13, the one every browser
 * speaks. A request that is no upgrade goes to {@code notUpgrade}; an upgrade with another version gets 426 with
 * the version we speak, one with a missing or malformed key 400. After the 101 answer Undertow hands over the
 * raw socket and {@link WsEndpoint} frames it itself. No subprotocol or extension is negotiated.
 */
public final class WsHandshake implements HttpHandler {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final HttpString ACCEPT = HttpString.tryFromString("Sec-WebSocket-Accept");

    private final WsEndpoint endpoint;
    private final HttpHandler notUpgrade;

    public WsHandshake(WsEndpoint endpoint, HttpHandler notUpgrade) {
        this.endpoint = endpoint;
        this.notUpgrade = notUpgrade;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderMap request = exchange.getRequestHeaders();
        if (!Methods.GET.equals(exchange.getRequestMethod()) || !hasToken(request.get(Headers.UPGRADE), "websocket")
                || !hasToken(request.get(Headers.CONNECTION), "upgrade")) {
            notUpgrade.handleRequest(exchange);
            return;
        }
        if (!"13".equals(trimmed(request.getFirst(Headers.SEC_WEB_SOCKET_VERSION)))) {
            exchange.getResponseHeaders().put(Headers.SEC_WEB_SOCKET_VERSION, "13");
            Responses.refuse(exchange, HttpRefusal.UNSUPPORTED_VERSION);
            return;
        }
        String key = trimmed(request.getFirst(Headers.SEC_WEB_SOCKET_KEY));
        if (!isValidKey(key)) {
            Responses.refuse(exchange, HttpRefusal.BAD_WEBSOCKET_KEY);
            return;
        }
        JsonNode identity = exchange.getAttachment(AuthHandshakeHandler.IDENTITY);
        Handshake handshake = exchange.getAttachment(Handshake.KEY);
        exchange.upgradeChannel((connection, upgraded) -> endpoint.open(connection, upgraded.getConnection(), identity,
                handshake));
        var response = exchange.getResponseHeaders();
        response.put(Headers.UPGRADE, "websocket");
        response.put(Headers.CONNECTION, "Upgrade");
        response.put(ACCEPT, accept(key));
        response.put(Headers.CONTENT_LENGTH, "0");
        exchange.endExchange();
    }

    /** Whether a comma-separated header holds {@code token} (case-insensitive), e.g. "keep-alive, Upgrade". */
    static boolean hasToken(HeaderValues values, String token) {
        if (values == null) {
            return false;
        }
        for (String value : values) {
            for (String part : value.split(",")) {
                if (part.strip().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String trimmed(String value) {
        return value == null ? null : value.strip();
    }

    /** A key is 16 random bytes in base64 (RFC 6455 §4.1). */
    static boolean isValidKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
