package io.squall.server.console;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The console's files, read from the jar once: the login page (a template with one slot for a fixed message), the
 * console page, its script and style, and the official JS client's browser bundle. Every answer carries the same
 * security headers: a CSP that allows only this origin's scripts, styles and WebSocket, no framing, no referrer to other sites, no
 * caching.
 */
final class ConsolePages {
    private static final String ROOT = "io/squall/server/console/";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String MESSAGE_SLOT = "<!--message-->";

    /** Static files anyone may fetch (no secret in them): path under {@code /console} to type and bytes. */
    private record Asset(String type, byte[] bytes) {}

    private final String login;
    private final byte[] app;
    private final Map<String, Asset> assets;

    ConsolePages() {
        this.login = new String(read("login.html"), StandardCharsets.UTF_8);
        this.app = read("index.html");
        this.assets = Map.of(
                "/console.js", new Asset("text/javascript; charset=utf-8", read("console.js")),
                "/console.css", new Asset("text/css; charset=utf-8", read("console.css")),
                "/squall.min.js", new Asset("text/javascript; charset=utf-8", read("squall.min.js")));
    }

    static void securityHeaders(HttpServerExchange exchange) {
        var headers = exchange.getResponseHeaders();
        headers.put(HttpString.tryFromString("Content-Security-Policy"), CSP);
        headers.put(HttpString.tryFromString("X-Content-Type-Options"), "nosniff");
        headers.put(HttpString.tryFromString("X-Frame-Options"), "DENY");
        // not no-referrer: with it Chromium sends "Origin: null" on the form POSTs, which the origin check refuses
        headers.put(HttpString.tryFromString("Referrer-Policy"), "same-origin");
        headers.put(Headers.CACHE_CONTROL, "no-store");
    }

    /** The login form, with {@code message} (a fixed text of ours, never input) shown above it when not null. */
    void login(HttpServerExchange exchange, int status, String message) {
        String html = message == null ? login
                : login.replace(MESSAGE_SLOT, "<p id=\"login-error\" role=\"alert\">" + message + "</p>");
        send(exchange, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    void app(HttpServerExchange exchange) {
        send(exchange, 200, "text/html; charset=utf-8", app);
    }

    /** Serves the asset at {@code path}; false when there is none. */
    boolean asset(HttpServerExchange exchange, String path) {
        Asset asset = assets.get(path);
        if (asset == null) {
            return false;
        }
        send(exchange, 200, asset.type(), asset.bytes());
        return true;
    }

    static void plain(HttpServerExchange exchange, int status, String text) {
        send(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpServerExchange exchange, int status, String type, byte[] body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
        if (exchange.getRequestMethod().equalToString("HEAD")) {
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsolePages.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
