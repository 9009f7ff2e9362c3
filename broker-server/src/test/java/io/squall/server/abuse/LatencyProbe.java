package io.squall.server.abuse;

import io.squall.server.testing.RawWebSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client the attack is not aimed at: one subscriber on channel {@code probe} (answering pings, as browsers do) and
 * a backend publishing to it over HTTP every 50 ms, each publication stamped with its sequence number and send time.
 * Latency is from the backend's send to the subscriber's read, both in this JVM; a publication the backend had
 * answered OK and the subscriber never got is lost.
 */
final class LatencyProbe implements AutoCloseable {
    static final long PUBLISH_INTERVAL_MILLIS = 50;
    private static final Pattern STAMP = Pattern.compile("\"seq\":(\\d+),\"t\":(\\d+)");
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);

    private final AbuseTarget target;
    private final RawWebSocket subscriber;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PUBLISH_TIMEOUT).build();
    private final Thread reader;
    private final Thread publisher;
    private final List<Long> latenciesNanos = new ArrayList<>();
    private final Map<Integer, Boolean> acked = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> received = new ConcurrentHashMap<>();
    private final AtomicInteger failedPublishes = new AtomicInteger();
    private volatile boolean publishing = true;

    private LatencyProbe(AbuseTarget target, RawWebSocket subscriber) {
        this.target = target;
        this.subscriber = subscriber;
        this.reader = new Thread(this::read, "abuse-probe-subscriber");
        this.publisher = new Thread(this::publish, "abuse-probe-publisher");
        reader.setDaemon(true);
        publisher.setDaemon(true);
    }

    static LatencyProbe start(AbuseTarget target) {
        RawWebSocket subscriber = RawWebSocket.connect(target.wsUri(), Map.of());
        subscriber.sendText("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\","
                + "\"params\":{\"channel\":\"probe\"},\"callId\":0}}");
        String reply = subscriber.nextText();
        if (!reply.contains("\"response\"")) {
            subscriber.close();
            throw new IllegalStateException("the probe's subscribe was refused: " + reply);
        }
        LatencyProbe probe = new LatencyProbe(target, subscriber);
        probe.reader.start();
        probe.publisher.start();
        return probe;
    }

    private void read() {
        while (true) {
            RawWebSocket.Frame frame;
            try {
                frame = subscriber.readFrame(Duration.ofSeconds(3600));
            } catch (AssertionError e) {
                return; // an hour of silence: give up
            }
            if (frame == null || frame.opcode() == RawWebSocket.CLOSE) {
                return;
            }
            if (frame.opcode() == RawWebSocket.PING) {
                try {
                    subscriber.sendFrame(RawWebSocket.PONG, true, frame.payload());
                } catch (AssertionError e) {
                    return;
                }
            } else if (frame.opcode() == RawWebSocket.TEXT) {
                Matcher stamp = STAMP.matcher(frame.text());
                if (stamp.find()) {
                    long latency = System.nanoTime() - Long.parseLong(stamp.group(2));
                    received.put(Integer.parseInt(stamp.group(1)), true);
                    synchronized (latenciesNanos) {
                        latenciesNanos.add(latency);
                    }
                }
            }
        }
    }

    private void publish() {
        URI backend = URI.create("http://127.0.0.1:" + target.privatePort() + "/backend");
        for (int seq = 0; publishing; seq++) {
            long started = System.nanoTime();
            String body = "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\",\"params\":"
                    + "{\"channel\":\"probe\",\"message\":{\"seq\":" + seq + ",\"t\":" + System.nanoTime() + "}}}}";
            HttpRequest request = HttpRequest.newBuilder(backend).timeout(PUBLISH_TIMEOUT)
                    .header("X-Backend-Key", AbuseTarget.KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"response\"")) {
                    acked.put(seq, true);
                } else {
                    failedPublishes.incrementAndGet();
                }
            } catch (java.io.IOException e) {
                failedPublishes.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Probes.sleepMillis(Math.max(0, PUBLISH_INTERVAL_MILLIS - (System.nanoTime() - started) / 1_000_000));
        }
    }

    int acked() {
        return acked.size();
    }

    int failedPublishes() {
        return failedPublishes.get();
    }

    /** Publications the backend had answered OK and the subscriber has not received. */
    int lost() {
        return (int) acked.keySet().stream().filter(seq -> !received.containsKey(seq)).count();
    }

    /** The latency at {@code percentile} (0-100) in milliseconds, or -1 without samples. */
    double percentileMillis(double percentile) {
        long[] sorted;
        synchronized (latenciesNanos) {
            sorted = latenciesNanos.stream().mapToLong(Long::longValue).toArray();
        }
        if (sorted.length == 0) {
            return -1;
        }
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    /** Stops publishing, gives the last publications a moment to arrive, and closes the subscriber. */
    @Override
    public void close() {
        publishing = false;
        try {
            publisher.join(PUBLISH_TIMEOUT.toMillis() + 1_000);
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (lost() > 0 && System.nanoTime() - deadline < 0 && reader.isAlive()) {
                Probes.sleepMillis(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriber.close();
        http.close();
    }
}
