package io.squall.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's chromium, headless, on one page, driven through the DevTools protocol: {@link #evaluate} runs
 * JavaScript in the page and returns its value. Skips the test when chromium is missing, except under CI.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper MAPPER = Json.mapper();

    private final Process process;
    private final HttpClient http;
    private final WebSocket devtools;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, HttpClient http, WebSocket devtools) {
        this.process = process;
        this.http = http;
        this.devtools = devtools;
    }

    public static HeadlessChromium open(Path profile, URI page) throws IOException, InterruptedException {
        Path binary = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser").stream().map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (binary == null) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("chromium is not installed (.ci/run installs it)");
            }
            Assumptions.abort("chromium is not installed");
        }
        Process process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--no-default-browser-check", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--remote-allow-origins=*",
                page.toString())
                .redirectErrorStream(true)
                .redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile())
                .start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            int port = devtoolsPort(profile, process);
            String pageSocket = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (pageSocket == null && System.nanoTime() - deadline < 0) {
                String targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                for (JsonNode target : MAPPER.readTree(targets)) {
                    if (target.path("type").asText().equals("page")) {
                        pageSocket = target.path("webSocketDebuggerUrl").asText();
                    }
                }
                Thread.sleep(50);
            }
            if (pageSocket == null) {
                throw new IllegalStateException("chromium shows no page target");
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
                private final StringBuilder partial = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        self[0].onReply(partial.toString());
                        partial.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(process, http, socket);
            return self[0];
        } catch (Exception e) {
            process.destroyForcibly();
            http.shutdownNow();
            throw new IOException("cannot drive chromium (see " + profile + ".log)", e);
        }
    }

    private static int devtoolsPort(Path profile, Process process) throws IOException, InterruptedException {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("chromium exited with " + process.exitValue());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("chromium did not open its DevTools port");
    }

    private void onReply(String text) {
        try {
            JsonNode reply = MAPPER.readTree(text);
            CompletableFuture<JsonNode> waiter = reply.has("id") ? replies.remove(reply.path("id").asInt()) : null;
            if (waiter != null) {
                waiter.complete(reply);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code expression} in the page and returns its value (JSON-serialisable values only). */
    public JsonNode evaluate(String expression) {
        int id = nextId.getAndIncrement();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        ObjectNode command = MAPPER.createObjectNode().put("id", id).put("method", "Runtime.evaluate");
        command.putObject("params").put("expression", expression).put("returnByValue", true);
        devtools.sendText(command.toString(), true).orTimeout(10, TimeUnit.SECONDS).join();
        JsonNode result = reply.orTimeout(20, TimeUnit.SECONDS).join();
        if (result.has("error") || result.path("result").has("exceptionDetails")) {
            throw new AssertionError("page script failed: " + result);
        }
        return result.path("result").path("result").path("value");
    }

    /** Evaluates {@code expression} until it is truthy; fails after {@code timeout} with the last value. */
    public JsonNode awaitTruthy(String what, String expression, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode value = null;
        while (System.nanoTime() - deadline < 0) {
            value = evaluate(expression);
            if (!(value.isMissingNode() || value.isNull() || (value.isBoolean() && !value.booleanValue())
                    || (value.isTextual() && value.asText().isEmpty()))) {
                return value;
            }
            TestBroker.sleep(50);
        }
        throw new AssertionError("not true within " + timeout + ": " + what + " (last value " + value + ")");
    }

    @Override
    public void close() {
        devtools.abort();
        http.shutdownNow();
        // chromium's helpers (zygotes, renderers, GPU, crashpad) must not outlive the test and compete for the CPU
        List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle helper : tree) {
                if (helper.isAlive()) {
                    helper.destroyForcibly();
                    helper.onExit().get(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a chromium helper process would not exit", e);
        }
    }
}
