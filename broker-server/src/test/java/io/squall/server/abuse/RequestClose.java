package io.squall.server.abuse;

import io.squall.server.testing.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Requests and a close frame in one TCP write (finding 5), over and over from two threads: ten subscribes and a
 * close, then every frame up to the end of the stream. Each subscribe the broker did not answer before its close
 * frame is a lost reply.
 */
final class RequestClose implements Attack {
    static final int REQUESTS = 10;
    private static final int THREADS = 2;
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "request-close";
    }

    @Override
    public void run(AbuseTarget target, long deadlineNanos, Counts counts) throws InterruptedException {
        counts.add("runs", 0);
        counts.add("lost replies", 0);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().daemon().name("abuse-request-close-" + t)
                    .start(() -> loop(target, thread, deadlineNanos, counts)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void loop(AbuseTarget target, int thread, long deadlineNanos, Counts counts) {
        for (int run = 0; Attack.before(deadlineNanos); run++) {
            ByteArrayOutputStream write = new ByteArrayOutputStream();
            for (int i = 0; i < REQUESTS; i++) {
                String text = "{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":"
                        + "\"rc-" + thread + "-" + run + "-" + i + "\"},\"callId\":" + i + "}}";
                write.writeBytes(RawWebSocket.encode(RawWebSocket.TEXT, true, text.getBytes(StandardCharsets.UTF_8)));
            }
            write.writeBytes(RawWebSocket.encode(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xE8}));
            try (RawWebSocket ws = RawWebSocket.connect(target.wsUri(), Map.of())) {
                ws.sendRaw(write.toByteArray());
                int replies = 0;
                for (RawWebSocket.Frame frame = ws.readFrame(WAIT); frame != null && frame.opcode() != RawWebSocket.CLOSE;
                        frame = ws.readFrame(WAIT)) {
                    if (frame.opcode() == RawWebSocket.TEXT && frame.text().contains("\"response\"")) {
                        replies++;
                    }
                }
                counts.add("runs", 1);
                counts.add("lost replies", REQUESTS - replies);
                if (replies < REQUESTS) {
                    counts.add("runs losing replies", 1);
                }
            } catch (AssertionError e) {
                counts.add("errors", 1); // refused, or no answer within 5 s
                if (!target.alive()) {
                    return;
                }
            }
        }
    }

    @Override
    public void release(Counts counts) {
        // every connection was closed by its run
    }
}
