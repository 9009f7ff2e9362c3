package io.squall.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.squall.server.SuppressForbidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The application, as the tests play it: a real JDK HTTP server on loopback that checks every call's signature
 * (as an application must), records what it got, and answers with what the test set per hook kind.
 */
@SuppressForbidden("the JDK's own HTTP server plays the application: a real server, no dependency")
final class TestApp implements AutoCloseable {
    static final String SECRET = "test-hooks-secret-0123456789";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One call as the application saw it. */
    record Call(String hook, JsonNode body, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    /** What the application does with a call: the status and body it answers (after sleeping, if asked to). */
    record Reply(int status, String body, long delayMillis) {
        static Reply json(String body) {
            return new Reply(200, body, 0);
        }
    }

    private final HttpServer server;
    private final HookSignature signature = new HookSignature(SECRET);
    private final Map<String, Function<JsonNode, Reply>> answers = new ConcurrentHashMap<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger badSignatures = new AtomicInteger();

    private TestApp(HttpServer server) {
        this.server = server;
    }

    static TestApp start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            TestApp app = new TestApp(server);
            server.createContext("/", app::handle);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return app;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Answers {@code hook} calls with {@code answer} (the default: {@code {"result":{}}}). */
    TestApp on(String hook, Function<JsonNode, Reply> answer) {
        answers.put(hook, answer);
        return this;
    }

    TestApp answer(String hook, String json) {
        return on(hook, body -> Reply.json(json));
    }

    List<Call> calls(String hook) {
        return calls.stream().filter(call -> hook.equals(call.hook())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String given = exchange.getRequestHeaders().getFirst(HookSignature.HEADER);
            if (given == null || !java.security.MessageDigest.isEqual(
                    given.getBytes(StandardCharsets.US_ASCII), signature.sign(body).getBytes(StandardCharsets.US_ASCII))) {
                badSignatures.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String hook = exchange.getRequestHeaders().getFirst("X-Squall-Hook");
            JsonNode json = MAPPER.readTree(body);
            Map<String, List<String>> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(java.util.Locale.ROOT), List.copyOf(values)));
            calls.add(new Call(hook, json, Map.copyOf(headers)));
            Reply reply = answers.getOrDefault(hook, b -> Reply.json("{\"result\":{}}")).apply(json);
            if (reply.delayMillis() > 0) {
                Thread.sleep(reply.delayMillis());
            }
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
