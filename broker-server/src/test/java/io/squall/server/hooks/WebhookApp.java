package io.squall.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.squall.core.json.Json;
import io.squall.server.SuppressForbidden;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The application side of the webhooks, as an application writes it: a real JDK HTTP server that checks each
 * POST's signature over the raw body (constant-time), de-duplicates events by id and keeps them in arrival order.
 * It can answer 500, stop (down: connection refused) and start again on the same port.
 */
@SuppressForbidden("the JDK's own HTTP server is the application the tests need: real HTTP, nothing to add")
public final class WebhookApp implements AutoCloseable {
    public static final String SECRET = "webhook-test-secret-0123456789";

    private final HookSignature signature = new HookSignature(SECRET);
    /** 0 until the first start picks a free port; then kept, so the application comes back where it was */
    private int lastPort;
    private HttpServer server;
    /** id → event, in first arrival order */
    private final Map<String, JsonNode> events = new LinkedHashMap<>();
    private final List<JsonNode> batches = new ArrayList<>();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final AtomicInteger posts = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private volatile int failNext;
    private volatile String node;

    public static WebhookApp start() {
        WebhookApp app = new WebhookApp();
        app.up();
        return app;
    }

    /** (Re)starts the server on its port. */
    public synchronized void up() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), lastPort), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/hooks", this::handle);
        server.start();
        lastPort = server.getAddress().getPort();
    }

    /** Down: the port refuses connections until {@link #up}. */
    public synchronized void down() {
        server.stop(0);
    }

    public String url() {
        return "http://127.0.0.1:" + lastPort + "/hooks";
    }

    /** The next {@code n} POSTs are answered 500 (after their events are read, not kept). */
    void failNext(int n) {
        failNext = n;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        posts.incrementAndGet();
        String sent = exchange.getRequestHeaders().getFirst(HookSignature.HEADER);
        boolean signed = sent != null && MessageDigest.isEqual(sent.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                signature.sign(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        boolean headers = "webhook".equals(exchange.getRequestHeaders().getFirst("X-Squall-Hook"))
                && "application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
        node = exchange.getRequestHeaders().getFirst("X-Squall-Node");
        int status;
        if (!signed || !headers) {
            badSignatures.incrementAndGet();
            status = 401;
        } else {
            JsonNode batch = Json.mapper().readTree(body);
            synchronized (this) {
                batches.add(batch);
                if (failNext > 0) {
                    failNext--;
                    status = 500;
                } else {
                    for (JsonNode event : batch.path("events")) {
                        if (events.putIfAbsent(event.path("id").asText(), event) != null) {
                            duplicates.incrementAndGet();
                        }
                    }
                    status = 204;
                }
            }
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    public synchronized List<JsonNode> events() {
        return List.copyOf(events.values());
    }

    public synchronized List<JsonNode> events(Predicate<JsonNode> filter) {
        return events.values().stream().filter(filter).toList();
    }

    synchronized List<JsonNode> batches() {
        return List.copyOf(batches);
    }

    public int badSignatures() {
        return badSignatures.get();
    }

    public int posts() {
        return posts.get();
    }

    int duplicates() {
        return duplicates.get();
    }

    String lastNode() {
        return node;
    }

    public static Predicate<JsonNode> onChannel(String channel) {
        return event -> channel.equals(event.path("channel").asText(null));
    }

    public static Predicate<JsonNode> ofType(String type) {
        return event -> type.equals(event.path("type").asText());
    }

    @Override
    public synchronized void close() {
        server.stop(0);
    }
}
