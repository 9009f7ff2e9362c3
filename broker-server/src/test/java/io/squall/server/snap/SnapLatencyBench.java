package io.squall.server.snap;

import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.SnapString;
import io.squall.snap.codec.Snapb1Codec;
import io.squall.snap.testing.Socat;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Serial byte to WebSocket subscriber latency, not a test: run {@code bin/squall-snap-bench}. A writer thread
 * puts SNAPB/1 frames carrying {@code System.nanoTime()} into the node end of a socat pty pair; the broker reads
 * the other end on its loop and publishes; a WebSocket subscriber (JDK client, same JVM, same clock) records
 * arrival minus send time. Prints p50/p90/p99/max per poll interval.
 *
 * <p>Arguments: {@code [frames [gapMicros [pollIntervals]]]}, default {@code 10000 1000 5ms,1ms}.
 */
public final class SnapLatencyBench {
    private SnapLatencyBench() {}

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long gapMicros = args.length > 1 ? Long.parseLong(args[1]) : 1_000;
        String[] polls = (args.length > 2 ? args[2] : "5ms,1ms").split(",");
        System.out.printf(Locale.ROOT, "SNAP serial->WebSocket latency: %d frames per run (%d warm-up), one every %d us,"
                + " %d cores%n", frames, frames / 10, gapMicros, Runtime.getRuntime().availableProcessors());
        for (String poll : polls) {
            run(frames, gapMicros, poll.trim());
        }
        System.exit(0);
    }

    private static void run(int frames, long gapMicros, String poll) throws Exception {
        Path dir = Files.createTempDirectory("squall-snap-bench");
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        int warmUp = frames / 10;
        try (Socat socat = Socat.start(dir);
                TestBroker broker = TestBroker.start("snap.port=" + socat.bridgeEnd(), "snap.poll.interval=" + poll,
                        "log.level=WARN");
                WsTestClient subscriber = broker.connect();
                OutputStream node = new FileOutputStream(socat.nodeEnd().toFile())) {
            subscriber.call("pubsub", "subscribe", "{\"channel\":\"snap/000001/t\"}", 1);
            while (!broker.server().snapBridge().orElseThrow().isLinkUp()) {
                Thread.sleep(10);
            }
            Thread writer = new Thread(() -> write(node, frames + warmUp, gapMicros), "bench-writer");
            writer.start();
            for (int i = 0; i < frames + warmUp; i++) {
                var message = subscriber.next().path("message").path("message");
                long sent = Long.parseLong(message.path("args").get(0).asText());
                long now = System.nanoTime();
                if (i >= warmUp) {
                    latency.recordValue(now - sent);
                }
            }
            writer.join();
        }
        System.out.printf(Locale.ROOT, "poll %-5s  p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms  (n=%d)%n",
                poll, ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)),
                ms(latency.getValueAtPercentile(99)), ms(latency.getMaxValue()), latency.getTotalCount());
    }

    private static void write(OutputStream node, int count, long gapMicros) {
        Snapb1Codec codec = new Snapb1Codec();
        long next = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                next += TimeUnit.MICROSECONDS.toNanos(gapMicros);
                LockSupport.parkNanos(next - System.nanoTime());
                SnapMessage frame = SnapMessage.unicast(1, 0x20, i & 0xFF, "t",
                        List.of(SnapString.latin1(Long.toString(System.nanoTime()))));
                node.write(codec.encode(frame));
                node.flush();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
