package io.squall.server.abuse;

import io.squall.server.testing.RawWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Churn: three threads connect, subscribe to a channel of their own and go, as fast as the broker lets them; every
 * other cycle closes cleanly (close handshake), the others just drop the socket. What they leave behind shows in the
 * descriptors, threads and heap after GC once they stop.
 */
final class Churn implements Attack {
    private static final int THREADS = 3;
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "churn";
    }

    @Override
    public void run(AbuseTarget target, long deadlineNanos, Counts counts) throws InterruptedException {
        counts.add("cycles", 0);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().daemon().name("abuse-churn-" + t)
                    .start(() -> loop(target, thread, deadlineNanos, counts)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void loop(AbuseTarget target, int thread, long deadlineNanos, Counts counts) {
        for (int cycle = 0; Attack.before(deadlineNanos); cycle++) {
            try {
                RawWebSocket ws = RawWebSocket.connect(target.wsUri(), Map.of());
                ws.sendText("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":"
                        + "\"churn-" + thread + "-" + cycle + "\"},\"callId\":0}}");
                ws.readFrame(WAIT);
                if (cycle % 2 == 0) {
                    ws.sendClose(1000);
                    ws.awaitClose(WAIT);
                }
                ws.abort();
                counts.add("cycles", 1);
            } catch (AssertionError e) {
                counts.add("errors", 1);
                if (!target.alive()) {
                    return;
                }
            }
        }
    }

    @Override
    public void release(Counts counts) {
        // every connection was closed by its cycle
    }
}
