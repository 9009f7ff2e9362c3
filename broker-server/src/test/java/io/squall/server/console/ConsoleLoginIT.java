package io.squall.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console's door: off by default, private port only, login, session cookie, logout, and every refusal. */
class ConsoleLoginIT {
    private TestBroker broker;
    private ConsoleDoor door;

    private void start(String... flags) {
        broker = TestBroker.start(flags);
        door = new ConsoleDoor(broker);
    }

    private void startWithPassword(String... more) {
        String[] flags = new String[more.length + 1];
        flags[0] = "console.password=" + ConsoleDoor.PASSWORD;
        System.arraycopy(more, 0, flags, 1, more.length);
        start(flags);
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        broker.close();
    }

    @Test
    void the_console_is_off_by_default() {
        start();
        for (String path : new String[] {"/console", "/console/", "/console/login", "/console/ws", "/console/console.js"}) {
            assertThat(broker.get(path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(door.login(ConsoleDoor.PASSWORD, Map.of("Origin", door.origin())).statusCode()).isEqualTo(404);
    }

    @Test
    void the_console_is_never_served_on_the_public_port() throws Exception {
        startWithPassword();
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"/console", "/console/", "/console/console.js", "/console/session"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + broker.server().publicPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(404);
        }
        assertThat(broker.get("/console/").statusCode()).isEqualTo(200);
    }

    @Test
    void without_a_session_the_page_is_the_login_form_and_nothing_else_opens() {
        startWithPassword();
        HttpResponse<String> page = broker.get("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\" action=\"/console/login\">")
                .doesNotContain("console.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(ConsolePages.CSP);
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(broker.get("/console").statusCode()).isEqualTo(302);
        assertThat(door.get("/console/session", null).statusCode()).isEqualTo(401);
        assertThat(door.get("/console/session", "x".repeat(43)).statusCode()).as("a made-up session").isEqualTo(401);
        RawWebSocket.HandshakeResponse refused = RawWebSocket.handshakeOnly(door.wsUri(),
                Map.of("Origin", door.origin()));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(broker.get("/console/login").statusCode()).as("GET on the login").isEqualTo(405);
    }

    @Test
    void the_right_password_gives_a_strict_http_only_session_cookie_and_the_console_page() {
        startWithPassword();
        HttpResponse<String> wrong = door.login("not-the-password-at-all", Map.of("Origin", door.origin()));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(wrong.body()).contains("Wrong password.");

        HttpResponse<String> ok = door.login(ConsoleDoor.PASSWORD, Map.of("Origin", door.origin()));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location")).hasValue("/console/");
        String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).matches("squall_console=[A-Za-z0-9_-]{43}; Path=/console; Max-Age=28800; HttpOnly;"
                + " SameSite=Strict");
        String session = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        HttpResponse<String> page = door.get("/console/", session);
        assertThat(page.body()).contains("<script type=\"module\" src=\"console.js\"></script>")
                .doesNotContain(ConsoleDoor.PASSWORD);
        assertThat(door.get("/console/session", session).statusCode()).isEqualTo(204);
        assertThat(door.get("/console/console.js", null).headers().firstValue("Content-Type").orElseThrow())
                .startsWith("text/javascript");
    }

    @Test
    void cross_site_requests_are_refused_even_with_the_right_password_or_a_session() {
        startWithPassword();
        for (Map<String, String> headers : List.<Map<String, String>>of(Map.of(), Map.of("Origin", "http://evil.example"),
            Map.of("Origin", door.origin(), "Sec-Fetch-Site", "cross-site"),
            Map.of("Origin", door.origin(), "Sec-Fetch-Site", "same-site"), Map.of("Origin", "null"))) {
            HttpResponse<String> response = door.login(ConsoleDoor.PASSWORD, headers);
            assertThat(response.statusCode()).as(headers.toString()).isEqualTo(403);
            assertThat(response.headers().firstValue("Set-Cookie")).as(headers.toString()).isEmpty();
        }
        String session = door.loginOk();
        HttpResponse<String> logout = broker.post("/console/logout", "",
                Map.of("Origin", "http://evil.example", "Cookie", ConsoleDoor.cookie(session)));
        assertThat(logout.statusCode()).isEqualTo(403);
        assertThat(door.get("/console/session", session).statusCode()).as("still logged in").isEqualTo(204);
        Throwable hijack = catchThrowable(() -> WsTestClient.connect(door.wsUri(),
                Map.of("Cookie", ConsoleDoor.cookie(session), "Origin", "http://evil.example")));
        assertThat(hijack).isNotNull();
        RawWebSocket.HandshakeResponse refused = RawWebSocket.handshakeOnly(door.wsUri(),
                Map.of("Cookie", ConsoleDoor.cookie(session), "Origin", "http://evil.example"));
        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void logout_ends_the_session_and_closes_its_live_connection() {
        startWithPassword();
        String session = door.loginOk();
        String other = door.loginOk();
        try (WsTestClient socket = door.socket(session); WsTestClient kept = door.socket(other)) {
            assertThat(socket.call("console", "overview", "{}", 1).path("message").path("type").asText())
                    .isEqualTo("response");
            HttpResponse<String> logout = door.logout(session);
            assertThat(logout.statusCode()).isEqualTo(303);
            assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
            assertThat(socket.awaitClose()).isEqualTo(4003);
            assertThat(door.get("/console/session", session).statusCode()).isEqualTo(401);
            assertThat(kept.call("console", "overview", "{}", 2).path("message").path("type").asText())
                    .as("another login is untouched").isEqualTo("response");
        }
    }

    @Test
    void failed_logins_are_rate_limited_and_then_even_the_right_password_waits() {
        startWithPassword();
        for (int i = 0; i < LoginThrottle.BURST; i++) {
            assertThat(door.login("wrong-password-" + i, Map.of("Origin", door.origin())).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> limited = door.login(ConsoleDoor.PASSWORD, Map.of("Origin", door.origin()));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong).orElseThrow()).isBetween(1L, 6L);
        assertThat(limited.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void sessions_are_bounded_a_new_login_ends_the_oldest_and_the_backend_key_works_when_only_enabled() {
        start("console.enabled=true", "console.max.sessions=2", "console.secure.cookie=true");
        HttpResponse<String> withKey = door.login(TestBroker.KEY, Map.of("Origin", "https://127.0.0.1:"
                + broker.server().privatePort()));
        assertThat(withKey.statusCode()).isEqualTo(303);
        assertThat(withKey.headers().firstValue("Set-Cookie").orElseThrow()).endsWith("; SameSite=Strict; Secure");
        String first = withKey.headers().firstValue("Set-Cookie").orElseThrow().substring(15, 58);
        assertThat(door.get("/console/session", first).statusCode()).isEqualTo(204);
        for (int i = 0; i < 2; i++) {
            assertThat(door.login(TestBroker.KEY, Map.of("Origin", "https://127.0.0.1:"
                    + broker.server().privatePort())).statusCode()).isEqualTo(303);
        }
        assertThat(door.get("/console/session", first).statusCode()).as("pushed out").isEqualTo(401);
    }
}
