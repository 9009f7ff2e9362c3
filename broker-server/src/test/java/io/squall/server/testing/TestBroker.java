package io.squall.server.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.json.Json;
import io.squall.server.BrokerServer;
import io.squall.server.config.ConfigLoader;
import io.squall.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a real broker on loopback, free ports, with a known backend key; flags override the rest. */
public final class TestBroker implements AutoCloseable {
    public static final String KEY = "test-backend-key-0123456789";

    private final BrokerServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestBroker(BrokerServer server) {
        this.server = server;
    }

    /** {@code flags} as on the command line, e.g. {@code "max.frame.bytes=2048"}. */
    public static TestBroker start(String... flags) {
        List<String> args = new ArrayList<>(List.of("--public.host=127.0.0.1", "--public.port=0",
                "--private.host=127.0.0.1", "--private.port=0", "--backend.key=" + KEY, "--shutdown.timeout=3s"));
        for (String flag : flags) {
            args.add("--" + flag);
        }
        ServerConfig config = ConfigLoader.load(args.toArray(String[]::new), Map.of());
        return new TestBroker(BrokerServer.start(config));
    }

    public BrokerServer server() {
        return server;
    }

    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + server.publicPort() + "/ws");
    }

    /** The public WebSocket URI with {@code ?token=}, as a browser presents a token. */
    public URI wsUri(String token) {
        return URI.create(wsUri() + "?token=" + token);
    }

    public URI backendWsUri() {
        return URI.create("ws://127.0.0.1:" + server.privatePort() + "/backend/ws");
    }

    public URI privateUri(String path) {
        return URI.create("http://127.0.0.1:" + server.privatePort() + path);
    }

    /** Opens a public WebSocket with no Origin header. */
    public WsTestClient connect() {
        return WsTestClient.connect(wsUri(), Map.of());
    }

    /** Opens a public WebSocket presenting {@code token} in the query ({@code ?token=}), as a browser does. */
    public WsTestClient connectWithToken(String token) {
        return WsTestClient.connect(wsUri(token), Map.of());
    }

    /** Opens a public WebSocket presenting {@code token} in an {@code Authorization: Bearer} header, as an app does. */
    public WsTestClient connectWithBearer(String token) {
        return WsTestClient.connect(wsUri(), Map.of("Authorization", "Bearer " + token));
    }

    /**
     * Mints a token for {@code identityJson} through the private port's {@code auth_backend} over HTTP, as a backend
     * without a JWT library logs a user in; fails unless the broker answers with a token.
     */
    public String mintToken(String identityJson) {
        HttpResponse<String> response = backend("{\"service\":\"auth_backend\",\"message\":{\"command\":\"mintToken\","
                + "\"params\":{\"identity\":" + identityJson + "}}}");
        JsonNode token = parse(response.body()).at("/message/data/token");
        if (response.statusCode() != 200 || !token.isTextual()) {
            throw new AssertionError("mintToken failed: " + response.statusCode() + " " + response.body());
        }
        return token.textValue();
    }

    private static JsonNode parse(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** POSTs {@code body} to /backend with the right key. */
    public HttpResponse<String> backend(String body) {
        return post("/backend", body, Map.of("X-Backend-Key", KEY));
    }

    public HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(privateUri(path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    public HttpResponse<String> get(String path) {
        return getWith(path, Map.of());
    }

    /** GETs {@code path} on the private port with {@code headers}. */
    public HttpResponse<String> getWith(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(privateUri(path)).timeout(Duration.ofSeconds(20)).GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("request to " + request.uri() + " failed", e);
        }
    }

    /** Publishes through the backend and checks the reply. */
    public void publish(String channelJson, String messageJson) {
        HttpResponse<String> response = backend("{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\","
                + "\"params\":{\"channel\":" + channelJson + ",\"message\":" + messageJson + "}}}");
        if (response.statusCode() != 200 || !response.body().contains("\"response\"")) {
            throw new AssertionError("publish failed: " + response.statusCode() + " " + response.body());
        }
    }

    /** Waits until the broker has no WebSocket connections and no registered clients left (the leak guard). */
    /**
     * Waits for every client to be gone and stops the broker, then fails if anything was logged at error level
     * while {@code errors} watched: the tests of the backend door send nothing that should be a server error.
     */
    public void closeExpectingNoErrors(LogWatch errors) {
        try {
            awaitNoClients();
            close();
            if (!errors.events().isEmpty()) {
                throw new AssertionError("server errors were logged: " + errors.events());
            }
        } finally {
            errors.close();
        }
    }

    public void awaitNoClients() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - deadline < 0) {
            int registered = server.callOnLoop(
                    () -> server.publicRegistry().clientCount() + server.privateRegistry().clientCount());
            if (registered == 0 && server.openConnections() == 0) {
                return;
            }
            sleep(20);
        }
        throw new AssertionError("clients left behind: open=" + server.openConnections());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
