package io.squall.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.JarProcess;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shaded jar as an operator runs it: env and flags, the ready line, SIGTERM, exit codes and log lines. */
class JarProcessIT {
    private static final String KEY = "jar-process-key-0123456789";
    private static final Duration START = Duration.ofSeconds(20);
    private static final Duration STOP = Duration.ofSeconds(10);
    /** One logback event per line, as logback.xml prints it. */
    private static final Pattern LOG_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (ERROR|WARN |INFO |DEBUG|TRACE) \\[[^]]+] \\S+ - .*");
    private static final Pattern STACK_LINE = Pattern.compile("^\\s+at |^Caused by: |^\\s+\\.\\.\\. \\d+ more");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @Test
    void env_and_flags_configure_the_real_binary_which_serves_and_stops_cleanly_on_sigterm() {
        int publicPort = JarProcess.freePort();
        int privatePort = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(
                Map.of("SQUALL_BACKEND_KEY", KEY, "SQUALL_PUBLIC_PORT", String.valueOf(publicPort)),
                "--public.host=127.0.0.1", "--private.port", String.valueOf(privatePort), "--shutdown.timeout=5s")) {
            readyMillis(jar); // reported, not asserted: start-up time is measured, not a pass/fail timing
            assertThat(String.join("\n", jar.stdout())).as("no generated key when one is configured")
                    .doesNotContain("generated one");

            try (WsTestClient alice = WsTestClient.connect(URI.create("ws://127.0.0.1:" + publicPort + "/ws"),
                    Map.of())) {
                alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);
                HttpResponse<String> published = publish(privatePort, KEY);
                assertThat(published.statusCode()).isEqualTo(200);
                assertThat(published.body()).isEqualTo(
                        "{\"service\":\"pubsub_backend\",\"message\":{\"type\":\"response\",\"data\":null}}");
                assertThat(alice.nextText()).isEqualTo(
                        "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"news\",\"message\":\"hello\"}}");

                jar.process().destroy(); // SIGTERM

                assertThat(alice.awaitClose()).as("close code on SIGTERM").isEqualTo(1001);
            }
            int exit = jar.awaitExit(STOP);
            System.out.println("JarProcessIT: exit code after SIGTERM " + exit);
            assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(jar.stdout()).as(jar.output()).anyMatch(line -> line.contains("stopped in"));
            assertLogLinesOnly(jar);
            assertThat(jar.stdout()).as("a clean run with a client that goes away logs no warning or error")
                    .noneMatch(line -> line.contains(" ERROR [") || line.contains(" WARN  ["));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"--public.port=abc, public.port", "--ping.interval=9999999999999999h, ping.interval",
        "--no.such.key=1, no.such.key"})
    void an_invalid_configuration_stops_the_start_with_exit_code_2_naming_the_key(String flag, String key) {
        try (JarProcess jar = JarProcess.start(Map.of(), flag)) {
            int exit = jar.awaitExit(STOP);

            assertThat(exit).as(jar.output()).isEqualTo(2);
            assertThat(jar.output()).contains("configuration error", key);
            assertThat(jar.stdout()).noneMatch(line -> line.contains("Squall ready"));
            assertLogLinesOnly(jar);
        }
    }

    @Test
    void without_a_key_one_is_generated_logged_once_and_accepted() {
        int privatePort = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(Map.of(), "--public.host=127.0.0.1", "--public.port=0",
                "--private.port=" + privatePort)) {
            readyMillis(jar);
            Matcher generated = jar.awaitLine("generated one for this run: ([A-Za-z0-9_-]+)", Duration.ofSeconds(1));
            String key = generated.group(1);
            assertThat(key.length()).as("a strong key").isGreaterThanOrEqualTo(32);
            assertThat(jar.stdout().stream().filter(line -> line.contains(key))).as("logged once").hasSize(1);

            assertThat(publish(privatePort, key).statusCode()).isEqualTo(200);
            assertThat(publish(privatePort, KEY).statusCode()).isEqualTo(401);

            jar.process().destroy();
            assertThat(jar.awaitExit(STOP)).isIn(0, 143);
            assertLogLinesOnly(jar);
        }
    }

    private static long readyMillis(JarProcess jar) {
        long millis = Long.parseLong(jar.awaitLine("Squall ready in (\\d+) ms", START).group(1));
        System.out.println("JarProcessIT: Squall ready in " + millis + " ms (JVM start to ready)");
        return millis;
    }

    private static HttpResponse<String> publish(int privatePort, String key) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + privatePort + "/backend"))
                .timeout(Duration.ofSeconds(10))
                .header("X-Backend-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"pubsub_backend\",\"message\":{\"command\":"
                        + "\"publish\",\"params\":{\"channel\":\"news\",\"message\":\"hello\"}}}"))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("POST " + request.uri() + " failed", e);
        }
    }

    /** Every stdout line is one log event, and neither stream carries a stack trace. */
    private static void assertLogLinesOnly(JarProcess jar) {
        List<String> stdout = jar.stdout();
        assertThat(stdout).as("stdout").isNotEmpty();
        assertThat(stdout).as("every stdout line is a single-line log event\n" + jar.output())
                .allMatch(line -> LOG_LINE.matcher(line).matches());
        assertThat(jar.stderr()).as("no stack trace on stderr\n" + jar.output())
                .noneMatch(line -> STACK_LINE.matcher(line).find() || line.contains("Exception"));
    }
}
