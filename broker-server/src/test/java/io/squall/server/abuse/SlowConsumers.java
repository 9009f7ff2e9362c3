package io.squall.server.abuse;

import io.squall.server.testing.RawWebSocket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Slow consumers: subscribers to channel {@code feed} that never read (with a small receive buffer), while two
 * backend threads publish 64 KiB messages to it as fast as the broker answers. Each should be cut (4001) once its
 * queue passes {@code max.queued.bytes}, not buffered without end.
 */
final class SlowConsumers implements Attack {
    static final int SUBSCRIBERS = 20;
    private static final int PUBLISHERS = 2;
    private static final String MESSAGE = messageJson();

    private final List<Conn> subscribers = new ArrayList<>();

    private static String messageJson() {
        char[] filler = new char[64 * 1024];
        Arrays.fill(filler, 'x');
        return "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\",\"params\":{\"channel\":\"feed\","
                + "\"message\":\"" + new String(filler) + "\"}}}";
    }

    @Override
    public String name() {
        return "slow-consumers";
    }

    @Override
    public void run(AbuseTarget target, long deadlineNanos, Counts counts) throws InterruptedException {
        String subscribe = "{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":"
                + "\"feed\"},\"callId\":0}}";
        for (int i = 0; i < SUBSCRIBERS; i++) {
            try {
                Conn conn = Conn.open(target.publicPort(), 4 * 1024).queue(Conn.upgradeRequest(target.publicPort()))
                        .queue(RawWebSocket.encode(RawWebSocket.TEXT, true, subscribe.getBytes(StandardCharsets.UTF_8)));
                conn.pump(false);
                subscribers.add(conn);
            } catch (IOException e) {
                counts.add("connects failed", 1);
            }
        }
        Probes.sleepMillis(500); // the subscribes are taken before the first publication
        List<Thread> publishers = new ArrayList<>();
        for (int i = 0; i < PUBLISHERS; i++) {
            Thread thread = new Thread(() -> publish(target, deadlineNanos, counts), "abuse-feed-publisher-" + i);
            thread.setDaemon(true);
            publishers.add(thread);
            thread.start();
        }
        for (Thread thread : publishers) {
            thread.join();
        }
        subscribers.forEach(conn -> conn.pump(false));
    }

    private static void publish(AbuseTarget target, long deadlineNanos, Counts counts) {
        URI backend = URI.create("http://127.0.0.1:" + target.privatePort() + "/backend");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            while (Attack.before(deadlineNanos)) {
                HttpRequest request = HttpRequest.newBuilder(backend).timeout(Duration.ofSeconds(5))
                        .header("X-Backend-Key", AbuseTarget.KEY).POST(HttpRequest.BodyPublishers.ofString(MESSAGE))
                        .build();
                try {
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    counts.add(status == 200 ? "published" : "publish " + status, 1);
                } catch (IOException e) {
                    counts.add("publish failed", 1);
                    Probes.sleepMillis(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Reads what each subscriber was sent, to tell the ones the broker cut (end of stream) from the ones it kept: up
     * to the end of the stream, or until nothing more came for a second.
     */
    @Override
    public void release(Counts counts) {
        counts.add("cut", 0);
        for (Conn conn : subscribers) {
            long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long idleSince = System.nanoTime();
            long seen = conn.received();
            while (conn.pump() && Attack.before(giveUp)
                    && System.nanoTime() - idleSince < Duration.ofSeconds(1).toNanos()) {
                if (conn.received() != seen) {
                    seen = conn.received();
                    idleSince = System.nanoTime();
                }
                Probes.sleepMillis(2);
            }
            if (conn.closedByPeer()) {
                counts.add("cut", 1);
            }
            conn.close();
        }
    }
}
