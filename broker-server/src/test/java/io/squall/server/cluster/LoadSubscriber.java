package io.squall.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.json.Json;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/**
 * One client with one positioned (recoverable) subscription, keeping its own books as a careful client would: its
 * position, every publication it received (by publisher key), the holes it was told about ({@code recovered:false}),
 * duplicates and unexplained offset jumps. Told {@code 2500} or cut off, it subscribes again with {@code since}
 * (on another node when its node is gone), retrying {@code Unavailable}.
 */
final class LoadSubscriber {
    /** A hole the client was told about: offsets {@code (after, upTo]} of {@code epoch}. */
    record Gap(String epoch, long after, long upTo) {
        boolean covers(String e, long offset) {
            return epoch.equals(e) && offset > after && offset <= upTo;
        }
    }

    /** One live delivery: when the publication was sent, when it arrived. */
    record Delivery(long sentMillis, long receivedMillis, int publisher) {}

    private static final Duration RETRY = Duration.ofMillis(250);

    final int id;
    final String channel;
    private final HttpClient http;
    private final ScheduledExecutorService executor;
    private final List<NodeProcess> nodes;
    /** Where to go when node {@code n} is gone: the rig's choice of a node still up. */
    private final IntUnaryOperator failover;

    private volatile int node;
    private volatile WebSocket socket;
    private volatile boolean dropped;
    private int callId;
    // the books, guarded by this
    private String epoch;
    private long offset;
    private long replayUntil;
    private final Map<Long, Long> received = new HashMap<>();
    private final List<Gap> gaps = new ArrayList<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private int duplicates;
    private int jumps;
    private int told;
    private int recoveredTrue;
    private int recoveredFalse;
    private int reconnects;
    private long latestSent;

    LoadSubscriber(int id, String channel, int node, List<NodeProcess> nodes, IntUnaryOperator failover,
            HttpClient http, ScheduledExecutorService executor) {
        this.id = id;
        this.channel = channel;
        this.node = node;
        this.nodes = nodes;
        this.failover = failover;
        this.http = http;
        this.executor = executor;
    }

    int node() {
        return node;
    }

    /** Connects and subscribes {@code recoverable}; returns once the position is known. */
    void start() {
        connect();
        subscribe();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (epoch() == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("subscriber " + id + " got no position");
            }
            NodeProcess.sleep(10);
        }
    }

    private void connect() {
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(nodes.get(node).wsUri(), new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
    }

    private synchronized String epoch() {
        return epoch;
    }

    private void subscribe() {
        String params;
        synchronized (this) {
            callId++;
            params = epoch == null ? "{\"channel\":\"" + channel + "\",\"recoverable\":true}"
                    : "{\"channel\":\"" + channel + "\",\"since\":{\"offset\":" + offset + ",\"epoch\":\"" + epoch
                            + "\"}}";
        }
        send("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":" + params + ",\"callId\":"
                + callId + "}}");
    }

    private void send(String frame) {
        try {
            socket.sendText(frame, true).orTimeout(10, TimeUnit.SECONDS).join();
        } catch (RuntimeException e) {
            // the connection broke under us: onClose/onError reconnects
        }
    }

    /** Cuts the connection, as a client whose network went away; it stays away until {@link #comeBack}. */
    void drop() {
        dropped = true;
        socket.abort();
    }

    /** Reconnects (to {@code node}) and subscribes with {@code since} its last position. */
    void comeBack(int to) {
        dropped = false;
        reconnect(to);
    }

    private void reconnect(int to) {
        node = to;
        synchronized (this) {
            reconnects++;
        }
        try {
            connect();
            subscribe();
        } catch (RuntimeException e) {
            executor.schedule(() -> reconnect(nodes.get(node).up() ? node : failover.applyAsInt(node)),
                    RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void onFrame(String text) {
        JsonNode message;
        try {
            message = Json.mapper().readTree(text).path("message");
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
        switch (message.path("type").asText()) {
            case "message" -> onPublication(message);
            case "response" -> onPosition(message.path("data"));
            case "error" -> executor.schedule(this::subscribe, RETRY.toMillis(), TimeUnit.MILLISECONDS);
            case "unsubscribed" -> {
                told++;
                executor.execute(this::subscribe);
            }
            default -> { } // pings and other services: nothing to account
        }
    }

    private void onPosition(JsonNode data) {
        String now = data.path("epoch").asText();
        long top = data.path("offset").asLong();
        if (epoch == null) {
            epoch = now;
            offset = top;
            return;
        }
        if (data.path("recovered").asBoolean()) {
            recoveredTrue++;
            replayUntil = top;
            return;
        }
        recoveredFalse++;
        if (now.equals(epoch)) {
            gaps.add(new Gap(epoch, offset, top));
        } else {
            gaps.add(new Gap(epoch, offset, Long.MAX_VALUE));
            gaps.add(new Gap(now, 0, top));
        }
        epoch = now;
        offset = top;
    }

    private void onPublication(JsonNode message) {
        long at = message.path("offset").asLong();
        JsonNode body = message.path("message");
        long key = LoadPublisher.key(body.path("p").asInt(), body.path("s").asLong());
        if (received.putIfAbsent(key, at) != null) {
            duplicates++;
        }
        if (at != offset + 1) {
            jumps++;
        }
        offset = at;
        if (at > replayUntil) {
            long sent = body.path("t").asLong();
            deliveries.add(new Delivery(sent, System.currentTimeMillis(), body.path("p").asInt()));
            latestSent = Math.max(latestSent, sent);
        }
    }

    private void onGone() {
        if (dropped) {
            return;
        }
        int to = nodes.get(node).up() ? node : failover.applyAsInt(node);
        executor.schedule(() -> reconnect(to), RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized boolean received(long key) {
        return received.containsKey(key);
    }

    /** True when this client received the publication, or was told it has a hole there. */
    synchronized boolean accounted(long key, String pubEpoch, long pubOffset) {
        return received.containsKey(key) || gaps.stream().anyMatch(gap -> gap.covers(pubEpoch, pubOffset));
    }

    /** The send time of the latest publication delivered live (not replayed by a recovery). */
    synchronized long latestSent() {
        return latestSent;
    }

    synchronized int duplicates() {
        return duplicates;
    }

    synchronized int jumps() {
        return jumps;
    }

    synchronized int told() {
        return told;
    }

    synchronized int recoveredTrue() {
        return recoveredTrue;
    }

    synchronized int recoveredFalse() {
        return recoveredFalse;
    }

    synchronized int reconnects() {
        return reconnects;
    }

    synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    void close() {
        dropped = true;
        WebSocket open = socket;
        if (open != null) {
            open.abort();
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
                String text = partial.toString();
                partial.setLength(0);
                if (webSocket == socket) {
                    onFrame(text);
                }
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (webSocket == socket) {
                onGone();
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (webSocket == socket) {
                onGone();
            }
        }
    }
}
