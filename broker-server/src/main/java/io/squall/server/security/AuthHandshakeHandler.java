package io.squall.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.http.Responses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Authenticator} before the WebSocket upgrade: a refused token gets a plain HTTP 401 with its
 * reason as the body and a {@code WWW-Authenticate: Bearer} header, so no WebSocket is ever opened for it. An
 * accepted identity rides on the exchange to the endpoint ({@link #IDENTITY}). The token comes from
 * {@code Authorization: Bearer <token>} or {@code ?token=<token>} (browsers cannot set headers on a WebSocket);
 * giving it both ways, or twice, is refused rather than guessed at. An {@code Authorization} header of another
 * scheme is refused unless a query token is given too.
 */
public final class AuthHandshakeHandler implements HttpHandler {
    /** The identity of an accepted token; absent for an anonymous connection. */
    public static final AttachmentKey<JsonNode> IDENTITY = AttachmentKey.create(JsonNode.class);
    /** The accepted token's {@code exp}, epoch seconds (the refresh proxy asks before it). */
    public static final AttachmentKey<Long> EXPIRES_AT = AttachmentKey.create(Long.class);
    public static final String QUERY_PARAM = "token";

    private static final Logger log = LoggerFactory.getLogger(AuthHandshakeHandler.class);
    private static final String BEARER = "bearer ";

    private final Authenticator authenticator;
    private final HttpHandler next;

    public AuthHandshakeHandler(Authenticator authenticator, HttpHandler next) {
        this.authenticator = authenticator;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread() && carriesCredentials(exchange)) {
            // a signature check costs up to a millisecond of CPU (ES256): run it on the worker pool, not on the IO
            // thread that serves every other connection it owns; the upgrade then continues from there
            exchange.dispatch(this);
            return;
        }
        AuthResult result = authenticate(exchange);
        switch (result) {
            case AuthResult.Refused refused -> refuse(exchange, refused.refusal());
            case AuthResult.Authenticated authenticated -> {
                exchange.putAttachment(IDENTITY, authenticated.identity());
                exchange.putAttachment(EXPIRES_AT, authenticated.expiresAt());
                next.handleRequest(exchange);
            }
            case AuthResult.Anonymous anonymous -> next.handleRequest(exchange);
        }
    }

    /** Whether the handshake presents a token (or another {@code Authorization}): the connect proxy's cue. */
    public static boolean carriesCredentials(HttpServerExchange exchange) {
        return exchange.getRequestHeaders().contains(Headers.AUTHORIZATION)
                || exchange.getQueryParameters().containsKey(QUERY_PARAM);
    }

    private AuthResult authenticate(HttpServerExchange exchange) {
        HeaderValues headers = exchange.getRequestHeaders().get(Headers.AUTHORIZATION);
        Deque<String> params = exchange.getQueryParameters().get(QUERY_PARAM);
        int queryTokens = params == null ? 0 : params.size();
        List<String> bearer = new ArrayList<>();
        boolean otherScheme = false;
        if (headers != null) {
            for (String header : headers) {
                if (header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
                    bearer.add(header.substring(BEARER.length()).strip());
                } else {
                    otherScheme = true;
                }
            }
        }
        if (bearer.size() + queryTokens > 1) {
            return authenticator.refuse(Refusal.AMBIGUOUS);
        }
        if (!bearer.isEmpty()) {
            return authenticator.authenticate(Optional.of(bearer.get(0)));
        }
        if (queryTokens == 1) {
            // an Authorization header of another scheme beside it belongs to someone else (e.g. a proxy's Basic auth)
            return authenticator.authenticate(Optional.of(params.peekFirst()));
        }
        if (otherScheme) {
            return authenticator.refuse(Refusal.BAD_SCHEME); // never read a foreign credential as "no token"
        }
        return authenticator.authenticate(Optional.empty());
    }

    private static void refuse(HttpServerExchange exchange, Refusal refusal) {
        log.debug("refused WebSocket handshake from {}: {}", exchange.getSourceAddress(), refusal.http().body());
        // RFC 6750 3.1: no error code when no credentials were given at all
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, refusal == Refusal.MISSING
                ? "Bearer realm=\"squall\""
                : "Bearer realm=\"squall\", error=\"invalid_token\", error_description=\"" + refusal.http().body() + "\"");
        Responses.refuse(exchange, refusal.http());
    }
}
