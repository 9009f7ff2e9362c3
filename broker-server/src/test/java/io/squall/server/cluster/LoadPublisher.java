package io.squall.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.json.Json;
import io.squall.server.testing.TestBroker;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A backend on one node's private WebSocket publishing at a steady rate, round robin over the channels, each
 * publication carrying its publisher, sequence number and send time, with an {@code idempotencyKey}. It records
 * every answer: acknowledged (with the offset and epoch the engine gave it) or refused, and what was never answered.
 */
final class LoadPublisher {
    /** A publication the broker acknowledged. */
    record Acked(long key, int channel, String epoch, long offset, long sentMillis) {}

    /** A publish answered with an error. */
    record Refused(long seq, long sentMillis, long answeredMillis, String error) {}

    final int id;
    private final int channels;
    private final Duration period;
    private final Map<Long, Long> pending = new ConcurrentHashMap<>();
    private final List<Acked> acked = new ArrayList<>();
    private final List<Refused> refused = new ArrayList<>();
    private final WebSocket socket;
    private volatile boolean running = true;
    private volatile boolean broken;
    private volatile long sent;
    private Thread thread;
    private boolean retrying;
    private final List<Refused> refusedAgain = new ArrayList<>();

    LoadPublisher(int id, NodeProcess node, int channels, int perSecond, HttpClient http) {
        this.id = id;
        this.channels = channels;
        this.period = Duration.ofNanos(1_000_000_000L / perSecond);
        this.socket = http.newWebSocketBuilder().header("X-Backend-Key", TestBroker.KEY)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(node.backendWsUri(), new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
    }

    static long key(int publisher, long seq) {
        return publisher * 1_000_000_000L + seq;
    }

    static String channel(int index) {
        return "news:f" + index;
    }

    void start() {
        thread = new Thread(this::run, "publisher-" + id);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long start = System.nanoTime();
        for (long seq = 0; running && !broken; seq++) {
            long due = start + seq * period.toNanos();
            long wait = due - System.nanoTime();
            if (wait > 0) {
                NodeProcess.sleep(TimeUnit.NANOSECONDS.toMillis(wait) + 1);
            }
            send(seq);
            sent = seq + 1;
        }
    }

    /** Distinct publications sent so far. */
    long sent() {
        return sent;
    }

    private void send(long seq) {
        long now = System.currentTimeMillis();
        pending.put(seq, now);
        String frame = "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\",\"params\":"
                + "{\"channel\":\"" + channel((int) (seq % channels)) + "\",\"message\":{\"p\":" + id + ",\"s\":"
                + seq + ",\"t\":" + now + "},\"idempotencyKey\":\"k" + key(id, seq) + "\"},\"callId\":" + seq + "}}";
        try {
            socket.sendText(frame, true).orTimeout(10, TimeUnit.SECONDS).join();
        } catch (RuntimeException e) {
            broken = true; // its node is gone: what it sent last may be unanswered, and counts as unknown
        }
    }

    /**
     * Publishes again, with the same idempotency key, every publication answered with an error, as a backend does
     * once the engine is back; waits (bounded) for the answers. Returns the sequence numbers retried.
     */
    List<Long> retryRefused(Duration drain) {
        List<Long> retry;
        synchronized (this) {
            retrying = true;
            retry = refused.stream().map(Refused::seq).toList();
        }
        for (long seq : retry) {
            send(seq);
        }
        long deadline = System.nanoTime() + drain.toNanos();
        while (!broken && !pending.isEmpty() && System.nanoTime() - deadline < 0) {
            NodeProcess.sleep(20);
        }
        return retry;
    }

    /** Retries answered with an error again. */
    synchronized List<Refused> refusedAgain() {
        return List.copyOf(refusedAgain);
    }

    /** Stops sending and waits (bounded) for the answers still due. */
    void stop(Duration drain) {
        running = false;
        try {
            if (thread != null) {
                thread.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long deadline = System.nanoTime() + drain.toNanos();
        while (!broken && !pending.isEmpty() && System.nanoTime() - deadline < 0) {
            NodeProcess.sleep(20);
        }
    }

    void close() {
        running = false;
        socket.abort();
    }

    boolean broken() {
        return broken;
    }

    /** Publishes sent and never answered. */
    int unanswered() {
        return pending.size();
    }

    synchronized List<Acked> acked() {
        return List.copyOf(acked);
    }

    synchronized List<Refused> refused() {
        return List.copyOf(refused);
    }

    private synchronized void onAnswer(String text) {
        JsonNode message;
        try {
            message = Json.mapper().readTree(text).path("message");
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
        long seq = message.path("callId").asLong(-1);
        Long sent = pending.remove(seq);
        if (sent == null) {
            throw new AssertionError("an answer to nothing pending: " + text);
        }
        if (message.path("type").asText().equals("response")) {
            JsonNode data = message.path("data");
            acked.add(new Acked(key(id, seq), (int) (seq % channels), data.path("epoch").asText(),
                    data.path("offset").asLong(), sent));
        } else {
            (retrying ? refusedAgain : refused).add(new Refused(seq, sent, System.currentTimeMillis(), message.path("message").asText()));
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                onAnswer(partial.toString());
                partial.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            broken = true;
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            broken = true;
        }
    }
}
