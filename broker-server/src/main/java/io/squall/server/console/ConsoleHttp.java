package io.squall.server.console;

import com.fasterxml.jackson.databind.node.TextNode;
import io.squall.core.error.HttpRefusal;
import io.squall.server.http.Responses;
import io.squall.server.security.AuthHandshakeHandler;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything under {@code /console} on the private port: the login form and its POST, logout, the page, its files,
 * and the WebSocket the page's live views use. A request that changes state (login, logout) or opens the WebSocket
 * must come from this origin: {@code Sec-Fetch-Site} (when the browser sends it) is {@code same-origin} and
 * {@code Origin} is this host's; the cookie's {@code SameSite=Strict} keeps it off cross-site requests as well.
 */
final class ConsoleHttp implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ConsoleHttp.class);
    static final String COOKIE = "squall_console";
    private static final int MAX_FORM_BYTES = 4096;
    private static final HttpString SEC_FETCH_SITE = HttpString.tryFromString("Sec-Fetch-Site");

    private final ConsoleSessions sessions;
    private final LoginThrottle throttle;
    private final byte[] passwordDigest;
    private final boolean secureCookie;
    private final long ttlSeconds;
    private final HttpHandler handshake;
    private final ConsolePages pages = new ConsolePages();

    ConsoleHttp(ConsoleSessions sessions, LoginThrottle throttle, String password, boolean secureCookie,
            Duration ttl, HttpHandler handshake) {
        this.sessions = sessions;
        this.throttle = throttle;
        this.passwordDigest = sha256(password);
        this.secureCookie = secureCookie;
        this.ttlSeconds = ttl.toSeconds();
        this.handshake = handshake;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        ConsolePages.securityHeaders(exchange);
        String path = exchange.getRelativePath();
        boolean read = Methods.GET.equals(exchange.getRequestMethod()) || Methods.HEAD.equals(exchange.getRequestMethod());
        switch (path) {
            case "" -> {
                exchange.setStatusCode(302);
                exchange.getResponseHeaders().put(Headers.LOCATION, "/console/");
                exchange.endExchange();
            }
            case "/" -> {
                if (!read) {
                    methodNotAllowed(exchange, "GET, HEAD");
                } else if (session(exchange).isPresent()) {
                    pages.app(exchange);
                } else {
                    pages.login(exchange, 200, null);
                }
            }
            case "/login" -> post(exchange, () -> login(exchange));
            case "/logout" -> post(exchange, () -> logout(exchange));
            case "/session" -> {
                // the page asks after its socket closed: still logged in (reconnect) or not (back to the form)
                if (session(exchange).isPresent()) {
                    exchange.setStatusCode(204);
                    exchange.endExchange();
                } else {
                    ConsolePages.plain(exchange, 401, "Not logged in");
                }
            }
            case "/ws" -> webSocket(exchange);
            default -> {
                if (!read || !pages.asset(exchange, path)) {
                    Responses.refuse(exchange, HttpRefusal.NOT_FOUND);
                }
            }
        }
    }

    private void webSocket(HttpServerExchange exchange) throws Exception {
        Optional<ConsoleSessions.Session> session = session(exchange);
        if (session.isEmpty()) {
            ConsolePages.plain(exchange, 401, "Not logged in");
            return;
        }
        if (!sameOrigin(exchange)) {
            ConsolePages.plain(exchange, 403, "Cross-origin request refused");
            return;
        }
        exchange.putAttachment(AuthHandshakeHandler.IDENTITY, TextNode.valueOf(session.get().handle()));
        handshake.handleRequest(exchange);
    }

    private void post(HttpServerExchange exchange, Runnable then) {
        if (!Methods.POST.equals(exchange.getRequestMethod())) {
            methodNotAllowed(exchange, "POST");
        } else if (!sameOrigin(exchange)) {
            ConsolePages.plain(exchange, 403, "Cross-origin request refused");
        } else {
            then.run();
        }
    }

    private void login(HttpServerExchange exchange) {
        long length = exchange.getRequestContentLength();
        if (length > MAX_FORM_BYTES) {
            ConsolePages.plain(exchange, 413, "Request body too large");
            return;
        }
        exchange.getRequestReceiver().setMaxBufferSize(MAX_FORM_BYTES);
        exchange.getRequestReceiver().receiveFullString((ex, body) -> checkPassword(ex, formField(body, "password")),
                (ex, error) -> ConsolePages.plain(ex, 413, "Request body too large"), StandardCharsets.UTF_8);
    }

    private void checkPassword(HttpServerExchange exchange, String given) {
        long wait = throttle.waitSeconds();
        if (wait > 0) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, wait);
            pages.login(exchange, 429, "Too many failed logins: try again in " + wait + " s.");
            return;
        }
        if (given == null || !MessageDigest.isEqual(passwordDigest, sha256(given))) {
            throttle.failed();
            log.warn("console: failed login from {}", exchange.getSourceAddress());
            pages.login(exchange, 401, "Wrong password.");
            return;
        }
        String id = sessions.create();
        exchange.getResponseHeaders().add(Headers.SET_COOKIE, cookie(id, ttlSeconds));
        log.info("console: login from {}", exchange.getSourceAddress());
        seeOther(exchange);
    }

    private void logout(HttpServerExchange exchange) {
        Cookie cookie = exchange.getRequestCookie(COOKIE);
        sessions.end(cookie == null ? null : cookie.getValue());
        exchange.getResponseHeaders().add(Headers.SET_COOKIE, cookie("", 0));
        seeOther(exchange);
    }

    private String cookie(String value, long maxAge) {
        return COOKIE + "=" + value + "; Path=/console; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict"
                + (secureCookie ? "; Secure" : "");
    }

    private Optional<ConsoleSessions.Session> session(HttpServerExchange exchange) {
        Cookie cookie = exchange.getRequestCookie(COOKIE);
        return cookie == null ? Optional.empty() : sessions.find(cookie.getValue());
    }

    /**
     * Whether the request comes from a page of this origin: {@code Sec-Fetch-Site}, when sent, says
     * {@code same-origin}, and {@code Origin} names this host (with {@code https} behind a TLS proxy). Browsers send
     * {@code Origin} with every POST and WebSocket handshake; a request with neither header is refused.
     */
    boolean sameOrigin(HttpServerExchange exchange) {
        var headers = exchange.getRequestHeaders();
        String site = headers.getFirst(SEC_FETCH_SITE);
        if (site != null && !site.equals("same-origin")) {
            return false;
        }
        String origin = headers.getFirst(Headers.ORIGIN);
        String host = headers.getFirst(Headers.HOST);
        if (origin == null || host == null) {
            return false;
        }
        String scheme = secureCookie ? "https" : exchange.getRequestScheme();
        return origin.equalsIgnoreCase(scheme + "://" + host);
    }

    private static void seeOther(HttpServerExchange exchange) {
        exchange.setStatusCode(303);
        exchange.getResponseHeaders().put(Headers.LOCATION, "/console/");
        exchange.endExchange();
    }

    private static void methodNotAllowed(HttpServerExchange exchange, String allowed) {
        exchange.getResponseHeaders().put(Headers.ALLOW, allowed);
        ConsolePages.plain(exchange, 405, "Method not allowed");
    }

    /** One field of an {@code application/x-www-form-urlencoded} body; null when absent or malformed. */
    static String formField(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                try {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    static byte[] sha256(String value) {
        return ConsoleSessions.digest(value).getBytes(StandardCharsets.US_ASCII);
    }
}
