package io.squall.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md's "Who may call what" table, row by row, against running brokers: one with every credential
 * configured (a token key, {@code metrics.key}), where each row is asked without its credential, with a wrong one and
 * with the right one, and one with the defaults, where the rows that say "none otherwise" must be open. Docs and code
 * cannot drift apart without this failing.
 */
class AccessTableIT {
    private static final String METRICS_KEY = "metrics-key-0123456789abcdef";
    private static final String JWT_SECRET = "a-jwt-secret-of-at-least-32-bytes-0123456789";
    private static final Pattern PATH = Pattern.compile("`(/[^`]*)`");
    private static final String ENVELOPE = "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\","
            + "\"params\":{\"channel\":\"a\",\"message\":1}}}";

    private enum Credential { NONE, BACKEND_KEY, METRICS_KEY, TOKEN }

    private record Row(String port, String path, Credential credential, boolean openByDefault) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<TestBroker> brokers = new ArrayList<>();

    @BeforeEach
    void start() {
        // a port that does not exist: the bridge keeps retrying it, and the page is served all the same
        String snap = "snap.port=/tmp/squall-access-table-no-such-port";
        brokers.add(TestBroker.start(snap, "metrics.key=" + METRICS_KEY, "auth.jwt.secret=" + JWT_SECRET));
        brokers.add(TestBroker.start(snap));
    }

    @AfterEach
    void stop() {
        brokers.forEach(broker -> {
            broker.awaitNoClients();
            broker.close();
        });
    }

    @Test
    void every_row_holds_with_credentials_configured() throws IOException {
        TestBroker broker = brokers.get(0);
        String token = broker.mintToken("\"alice\"");
        for (Row row : rows()) {
            String what = row.port() + " " + row.path() + " (" + row.credential() + ")";
            assertThat(call(broker, row, Map.of())).as(what + " without a credential")
                    .isEqualTo(row.credential() == Credential.NONE ? success(row) : 401);
            assertThat(call(broker, row, wrong(row.credential()))).as(what + " with a wrong credential")
                    .isEqualTo(row.credential() == Credential.NONE ? success(row) : 401);
            assertThat(call(broker, row, right(row.credential(), token))).as(what + " with the right credential")
                    .isEqualTo(success(row));
            assertThat(call(broker, other(row), Map.of())).as(what + " is not served on the other port").isEqualTo(404);
        }
    }

    @Test
    void rows_open_by_default_are_open_with_the_defaults_and_the_others_still_ask() throws IOException {
        TestBroker broker = brokers.get(1);
        for (Row row : rows()) {
            boolean open = row.credential() == Credential.NONE || row.openByDefault();
            assertThat(call(broker, row, Map.of())).as(row.port() + " " + row.path() + " with the defaults")
                    .isEqualTo(open ? success(row) : 401);
        }
    }

    @Test
    void the_table_lists_every_path_the_ports_serve() throws IOException {
        assertThat(rows()).extracting(row -> row.port() + " " + row.path()).containsExactlyInAnyOrder(
                "public /ws", "public /snap/", "private /backend", "private /backend/ws", "private /health",
                "private /health/ready", "private /health/live", "private /metrics");
    }

    @Test
    void a_metrics_refusal_says_why_and_challenges_for_a_bearer_token() throws Exception {
        URI metrics = brokers.get(0).privateUri("/metrics");
        for (Map.Entry<String, String> refusal : Map.of(
                "", "Missing metrics key",
                "Basic bWV0cmljczprZXk=", "Authorization header is not a Bearer token",
                "Bearer " + METRICS_KEY + "x", "Invalid metrics key",
                "Bearer " + METRICS_KEY.substring(1), "Invalid metrics key").entrySet()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(20));
            if (!refusal.getKey().isEmpty()) {
                request.header("Authorization", refusal.getKey());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).isEqualTo(refusal.getValue());
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"squall-metrics\"");
        }
        HttpResponse<String> scraped = http.send(HttpRequest.newBuilder(metrics).header("Authorization",
                "bearer " + METRICS_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scraped.statusCode()).as("the scheme is case-insensitive").isEqualTo(200);
        assertThat(scraped.body()).contains("broker_connections");
    }

    /** The rows of the table under "### Who may call what", one per path. */
    private static List<Row> rows() throws IOException {
        Path doc = projectRoot().resolve("docs/security.md");
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        int heading = lines.indexOf("### Who may call what");
        assertThat(heading).as("a '### Who may call what' section in %s", doc).isNotNegative();
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(heading + 1, lines.size())) {
            if (!line.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            inTable = true;
            String[] cells = line.split("\\|");
            String port = cells[1].strip();
            if (port.equals("Port") || port.startsWith("---")) {
                continue;
            }
            assertThat(port).as(line).isIn("public", "private");
            String credential = cells[3].strip();
            Matcher paths = PATH.matcher(cells[2]);
            int before = rows.size();
            while (paths.find()) {
                rows.add(new Row(port, paths.group(1), credential(credential, line),
                        credential.endsWith("none otherwise") || credential.contains("; none otherwise")));
            }
            assertThat(rows.size()).as("a path in %s", line).isGreaterThan(before);
        }
        assertThat(rows).as("rows of the table in %s", doc).isNotEmpty();
        return rows;
    }

    /** The directory holding docs/ and the parent pom (the one with modules), found from the working dir up. */
    private static Path projectRoot() throws IOException {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(pom)
                    && Files.readString(pom, StandardCharsets.UTF_8).contains("<modules>")) {
                return dir;
            }
        }
        throw new AssertionError("no docs/ next to a multi-module pom.xml above " + System.getProperty("user.dir"));
    }

    private static Credential credential(String cell, String line) {
        String text = cell.toLowerCase(Locale.ROOT);
        if (text.startsWith("none")) {
            return Credential.NONE;
        }
        if (text.startsWith("token")) {
            return Credential.TOKEN;
        }
        if (text.contains("x-backend-key: <backend.key>")) {
            return Credential.BACKEND_KEY;
        }
        if (text.contains("authorization: bearer <metrics.key>")) {
            return Credential.METRICS_KEY;
        }
        throw new AssertionError("a credential this test does not know: " + line);
    }

    private static Map<String, String> wrong(Credential credential) {
        return switch (credential) {
            case NONE, BACKEND_KEY -> Map.of("X-Backend-Key", "wrong-key-0123456789abc");
            case METRICS_KEY -> Map.of("Authorization", "Bearer wrong-metrics-key-0123456789");
            case TOKEN -> Map.of("Authorization", "Bearer not.a.token");
        };
    }

    private static Map<String, String> right(Credential credential, String token) {
        return switch (credential) {
            case NONE -> Map.of();
            case BACKEND_KEY -> Map.of("X-Backend-Key", TestBroker.KEY);
            case METRICS_KEY -> Map.of("Authorization", "Bearer " + METRICS_KEY);
            case TOKEN -> Map.of("Authorization", "Bearer " + token);
        };
    }

    private static Row other(Row row) {
        return new Row(row.port().equals("public") ? "private" : "public", row.path(), row.credential(), false);
    }

    private static boolean webSocket(Row row) {
        return row.path().equals("/ws") || row.path().endsWith("/ws");
    }

    private static int success(Row row) {
        return webSocket(row) ? 101 : 200;
    }

    /** The status of the request a client of {@code row} makes: a handshake, the backend POST, or a GET. */
    private int call(TestBroker broker, Row row, Map<String, String> headers) {
        int port = row.port().equals("public") ? broker.server().publicPort() : broker.server().privatePort();
        URI uri = URI.create((webSocket(row) ? "ws" : "http") + "://127.0.0.1:" + port + row.path());
        if (webSocket(row)) {
            return RawWebSocket.handshakeOnly(uri, new HashMap<>(headers)).status();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        headers.forEach(request::header);
        if (row.path().equals("/backend")) {
            request.POST(HttpRequest.BodyPublishers.ofString(ENVELOPE));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("no answer from " + uri, e);
        }
    }
}
