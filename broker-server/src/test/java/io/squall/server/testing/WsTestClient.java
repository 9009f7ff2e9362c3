package io.squall.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real WebSocket client (the JDK's) that queues what it receives and records how it was closed. */
public final class WsTestClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final BlockingDeque<String> received = new LinkedBlockingDeque<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final boolean reading;
    private final AtomicInteger pings = new AtomicInteger();
    private WebSocket socket;

    private WsTestClient(boolean reading) {
        this.reading = reading;
    }

    public static WsTestClient connect(URI uri, Map<String, String> headers) {
        return open(uri, headers, true);
    }

    /** A client that never asks for more frames: the server sees a peer that stopped reading. */
    public static WsTestClient connectNotReading(URI uri) {
        return open(uri, Map.of(), false);
    }

    private static WsTestClient open(URI uri, Map<String, String> headers, boolean reading) {
        WsTestClient client = new WsTestClient(reading);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        client.socket = builder.buildAsync(uri, client.new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    public WsTestClient send(String frame) {
        socket.sendText(frame, true).orTimeout(10, TimeUnit.SECONDS).join();
        return this;
    }

    /** Sends {@code text} as one message split into continuation frames of {@code chunk} characters. */
    public WsTestClient sendFragments(String text, int chunk) {
        for (int start = 0; start < text.length(); start += chunk) {
            int end = Math.min(text.length(), start + chunk);
            socket.sendText(text.substring(start, end), end == text.length()).orTimeout(10, TimeUnit.SECONDS).join();
        }
        return this;
    }

    /** Sends one binary frame (Snorky's protocol is text only). */
    public WsTestClient sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(10, TimeUnit.SECONDS).join();
        return this;
    }

    /** Pings received so far (the JDK answers each with a pong by itself). */
    public int pingsReceived() {
        return pings.get();
    }

    /**
     * Sends an RPC and returns its reply. Frames that arrive before the reply (notifications) stay queued for
     * {@link #next}, in order.
     */
    public JsonNode call(String service, String command, String paramsJson, int callId) {
        send("{\"service\":\"" + service + "\",\"message\":{\"command\":\"" + command + "\",\"params\":" + paramsJson
                + ",\"callId\":" + callId + "}}");
        List<String> skipped = new ArrayList<>();
        try {
            while (true) {
                String text = nextText();
                JsonNode frame = parse(text);
                JsonNode message = frame.path("message");
                String type = message.path("type").asText();
                if ((type.equals("response") || type.equals("error")) && message.path("callId").asInt(-1) == callId) {
                    return frame;
                }
                skipped.add(text);
            }
        } finally {
            for (int i = skipped.size() - 1; i >= 0; i--) {
                received.addFirst(skipped.get(i));
            }
        }
    }

    /** The next frame, parsed; fails after 30 s. */
    public JsonNode next() {
        return parse(nextText());
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    public String nextText() {
        try {
            String text = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                throw new AssertionError("no frame within " + WAIT);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A frame if one arrives within {@code wait}, else null. */
    public String poll(Duration wait) {
        try {
            return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The close code the server sent; waits up to 30 s. Abnormal closure (no close frame) is 1006. */
    public int awaitClose() {
        return closeCode.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** Starts reading again (for a client made with {@link #connectNotReading}). */
    public void resumeReading() {
        socket.request(Long.MAX_VALUE);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).join();
            } catch (RuntimeException ignored) {
                // already broken: abort below
            }
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(Long.MAX_VALUE);
            }
            // else no demand at all (request(0) is illegal and would abort the socket): the peer never reads
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.incrementAndGet();
            return WebSocket.Listener.super.onPing(webSocket, message);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.complete(1006);
        }
    }
}
