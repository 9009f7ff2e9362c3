package io.squall.server.console;

import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** What a browser on the console's origin sends: form logins and logouts, cookie-bearing requests, the socket. */
final class ConsoleDoor {
    static final String PASSWORD = "console-password-0123456789";

    private final TestBroker broker;

    ConsoleDoor(TestBroker broker) {
        this.broker = broker;
    }

    /** The console's own origin, as Chromium writes it in {@code Origin}. */
    String origin() {
        return "http://127.0.0.1:" + broker.server().privatePort();
    }

    HttpResponse<String> login(String password, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        return broker.post("/console/login", "password=" + URLEncoder.encode(password, StandardCharsets.UTF_8), all);
    }

    /** A login from the console's own page; returns the session cookie's value. */
    String loginOk() {
        HttpResponse<String> response = login(PASSWORD, Map.of("Origin", origin(), "Sec-Fetch-Site", "same-origin"));
        if (response.statusCode() != 303) {
            throw new AssertionError("login failed: " + response.statusCode() + " " + response.body());
        }
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    }

    HttpResponse<String> logout(String session) {
        return broker.post("/console/logout", "", Map.of("Origin", origin(), "Cookie", cookie(session)));
    }

    HttpResponse<String> get(String path, String session) {
        return broker.getWith(path, session == null ? Map.of() : Map.of("Cookie", cookie(session)));
    }

    WsTestClient socket(String session) {
        return WsTestClient.connect(wsUri(), Map.of("Cookie", cookie(session), "Origin", origin()));
    }

    URI wsUri() {
        return URI.create("ws://127.0.0.1:" + broker.server().privatePort() + "/console/ws");
    }

    static String cookie(String session) {
        return ConsoleHttp.COOKIE + "=" + session;
    }
}
