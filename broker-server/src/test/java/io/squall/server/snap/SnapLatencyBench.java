package io.squall.server.snap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.SnapString;
import io.squall.snap.codec.Snapb1Codec;
import io.squall.snap.testing.Socat;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Serial byte to WebSocket subscriber latency and the loop's cost of a silent port, not a test: run
 * {@code bin/squall-snap-bench}. For each read mode, a broker is bridged to one end of a socat pty pair; first the
 * port stays silent for a while and the loop's tasks per second (every task and timer it ran, and the bridge's read
 * tasks) are counted; then a writer thread puts SNAPB/1 node RPC frames carrying {@code System.nanoTime()} into the
 * node end, the broker reads, decodes and publishes them, and a WebSocket subscriber (a plain blocking socket on
 * the main thread, so no client library's thread hand-offs are measured; same JVM, same clock) records arrival minus
 * send time. Prints p50/p90/p99/max and the silent-port rates per mode.
 *
 * <p>Arguments: {@code [frames [gapMicros [modes [silentSeconds]]]]}, default {@code 2000 5000 readiness,poll,loop 5}
 * (200 frames a second); a mode is {@code readiness}, {@code auto}, {@code poll} (5 ms), {@code poll:1ms} or
 * {@code loop}: the baseline, the same publications made on the loop with no serial port involved, which shows how
 * much of the latency is the broker-to-subscriber path every publication pays.
 */
public final class SnapLatencyBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Not a read mode: publications made on the loop itself, the broker-to-subscriber part alone. */
    private static final String LOOP = "loop";

    private SnapLatencyBench() {}

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        long gapMicros = args.length > 1 ? Long.parseLong(args[1]) : 5_000;
        String[] modes = (args.length > 2 ? args[2] : "readiness,poll,loop").split(",");
        int silentSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        System.out.printf(Locale.ROOT, "SNAP serial->WebSocket latency: %d frames per run (%d warm-up), one every %d us;"
                + " silent port watched %d s; %d cores%n", frames, frames / 10, gapMicros, silentSeconds,
                Runtime.getRuntime().availableProcessors());
        for (String mode : modes) {
            String[] parts = mode.trim().split(":");
            run(frames, gapMicros, parts[0], parts.length > 1 ? parts[1] : "5ms", silentSeconds);
        }
        System.exit(0);
    }

    private static void run(int frames, long gapMicros, String mode, String poll, int silentSeconds)
            throws Exception {
        Path dir = Files.createTempDirectory("squall-snap-bench");
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        int warmUp = frames / 10;
        String silent;
        String reading;
        try (Socat socat = Socat.start(dir);
                TestBroker broker = TestBroker.start("snap.port=" + socat.bridgeEnd(), "snap.read.mode=" + (LOOP.equals(mode) ? "readiness" : mode),
                        "snap.poll.interval=" + poll, "log.level=WARN");
                RawWebSocket subscriber = RawWebSocket.connect(broker.wsUri(), Map.of());
                OutputStream node = new FileOutputStream(socat.nodeEnd().toFile())) {
            subscriber.sendText("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\","
                    + "\"params\":{\"channel\":\"snap/000001/t\"},\"callId\":1}}");
            subscriber.readFrame(Duration.ofSeconds(5)); // the subscribe's answer
            while (!broker.server().snapBridge().orElseThrow().isLinkUp()) {
                Thread.sleep(10);
            }
            MeterRegistry meters = broker.server().meters();
            Thread.sleep(1_000); // start-up work settles
            double loopTasks = meters.get("broker.loop.task.duration").timer().count();
            double readTasks = meters.get("snap.read.tasks").counter().count();
            long silentFrom = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(silentSeconds));
            double seconds = (System.nanoTime() - silentFrom) / 1e9;
            silent = String.format(Locale.ROOT, "silent port: %6.1f loop tasks/s, %6.1f read tasks/s",
                    (meters.get("broker.loop.task.duration").timer().count() - loopTasks) / seconds,
                    (meters.get("snap.read.tasks").counter().count() - readTasks) / seconds);
            reading = broker.get("/health").body();
            Consumer<Long> send = LOOP.equals(mode) ? publishOnLoop(broker) : frameOnPty(node);
            Thread writer = new Thread(() -> write(send, frames + warmUp, gapMicros), "bench-writer");
            writer.start();
            for (int i = 0; i < frames + warmUp; i++) {
                String text = subscriber.readFrame(Duration.ofSeconds(5)).text();
                long now = System.nanoTime(); // before parsing: the clock stops when the frame is read
                JsonNode message = JSON.readTree(text).path("message").path("message");
                long sent = Long.parseLong(message.path("args").get(0).asText());
                if (i >= warmUp) {
                    latency.recordValue(now - sent);
                }
            }
            writer.join();
        }
        String label = mode.equals("poll") ? "poll " + poll : mode;
        System.out.printf(Locale.ROOT, "%-11s p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms  (n=%d); %s%n",
                label, ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)),
                ms(latency.getValueAtPercentile(99)), ms(latency.getMaxValue()), latency.getTotalCount(), silent);
        System.out.println("            /health: " + reading);
    }

    /** Sends one timestamp every {@code gapMicros}, on schedule. */
    private static void write(Consumer<Long> send, int count, long gapMicros) {
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            next += TimeUnit.MICROSECONDS.toNanos(gapMicros);
            LockSupport.parkNanos(next - System.nanoTime());
            send.accept(System.nanoTime());
        }
    }

    /** A node RPC frame written on the pty, as a bridge node would. */
    private static Consumer<Long> frameOnPty(OutputStream node) {
        Snapb1Codec codec = new Snapb1Codec();
        int[] sequence = {0};
        return nanos -> {
            SnapMessage frame = SnapMessage.unicast(1, 0x20, sequence[0]++ & 0xFF, "t",
                    List.of(SnapString.latin1(Long.toString(nanos))));
            try {
                node.write(codec.encode(frame));
                node.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** The baseline: the same publication made on the loop, so no serial port is involved. */
    private static Consumer<Long> publishOnLoop(TestBroker broker) {
        var loop = broker.server().context().loop();
        PubSubService pubsub = (PubSubService) broker.server().publicRegistry().service("pubsub").orElseThrow();
        JsonNode channel = JSON.getNodeFactory().textNode("snap/000001/t");
        return nanos -> {
            JsonNode message = JSON.createObjectNode().set("args", JSON.createArrayNode().add(Long.toString(nanos)));
            loop.execute(() -> pubsub.publish(channel, message));
        };
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
