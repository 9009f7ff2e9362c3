package io.squall.bench.scenario;

import io.squall.bench.net.WsConnection;
import io.squall.bench.net.WsConnector;
import io.squall.bench.net.WsTarget;
import io.squall.bench.proto.SquallProtocol;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What receiving costs the generator, without a broker in the way: {@code connections} WebSockets to a
 * {@link io.squall.bench.cost.Flooder} on loopback, decoded by the Squall decoder and recorded by the same
 * {@link DeliveryRecorder} the fan-out scenario uses. After a warm-up it reads the CPU time of the generator's loop
 * thread and the frames it recorded over a window and prints frames/s, CPU per frame and the loop's busy share.
 * Pin the two processes apart as bin/bench does:
 * <pre>
 * taskset -c 0 java -cp broker-bench.jar io.squall.bench.BenchMain flood port=9100 connections=1000 burst=1 seconds=20
 * taskset -c 1 java -cp broker-bench.jar io.squall.bench.BenchMain cost port=9100 connections=1000 seconds=10
 * </pre>
 */
public final class GeneratorCostBench {
    private static final Logger log = LoggerFactory.getLogger(GeneratorCostBench.class);

    private GeneratorCostBench() {}

    /** The figures of one window. */
    public record Result(long frames, double seconds, long cpuNanos, long sysNanos, double p50Micros,
            double p99Micros) {
        double framesPerSecond() {
            return frames / seconds;
        }

        double cpuNanosPerFrame() {
            return frames == 0 ? Double.NaN : (double) cpuNanos / frames;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.0f frames/s, %.0f ns CPU/frame (%.0f %% in the kernel), loop busy"
                    + " %.0f %%, latency p50 %.0f us p99 %.0f us (%,d frames in %.1f s)", framesPerSecond(),
                    cpuNanosPerFrame(), 100.0 * sysNanos / Math.max(1, cpuNanos), 100.0 * cpuNanos / (seconds * 1e9),
                    p50Micros, p99Micros, frames, seconds);
        }
    }

    public static Result measure(int port, int connections, double warmupSeconds, double seconds) {
        try (WsConnector connector = new WsConnector(List.of("127.0.0.1"))) {
            DeliveryRecorder recorder = new DeliveryRecorder(connector.loop());
            SquallProtocol protocol = new SquallProtocol();
            WsTarget target = new WsTarget(URI.create("ws://127.0.0.1:" + port + "/"), null, Map.of(), true);
            recorder.begin(0);
            List<CompletableFuture<WsConnection>> opened = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                opened.add(connector.connect(target, protocol.decoder(recorder), recorder, i));
            }
            CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
            Steps.sleep(Math.round(warmupSeconds * 1000));
            long cpu0 = loopCpuNanos(connector);
            long sys0 = loopSysNanos(connector);
            recorder.begin(0);
            long t0 = System.nanoTime();
            Steps.sleep(Math.round(seconds * 1000));
            DeliveryRecorder.Snapshot snapshot = recorder.snapshot();
            long t1 = System.nanoTime();
            long cpu1 = loopCpuNanos(connector);
            long sys1 = loopSysNanos(connector);
            if (recorder.errors.get() > 0) {
                log.warn("{} errors, first: {}", recorder.errors.get(), recorder.firstError());
            }
            return new Result(snapshot.delivered(), (t1 - t0) / 1e9, cpu1 - cpu0, sys1 - sys0,
                    snapshot.histogram().getValueAtPercentile(50), snapshot.histogram().getValueAtPercentile(99));
        }
    }

    private static long loopCpuNanos(WsConnector connector) {
        return Steps.await(connector.loop().submit(
                () -> ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()));
    }

    /** The loop thread's system time (clock ticks of /proc/thread-self/stat, so 10 ms grain), or 0 off Linux. */
    private static long loopSysNanos(WsConnector connector) {
        return Steps.await(connector.loop().submit(() -> {
            try {
                String stat = Files.readString(Path.of("/proc/thread-self/stat"), StandardCharsets.US_ASCII);
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[12]) * 10_000_000L;
            } catch (IOException | RuntimeException e) {
                return 0L;
            }
        }));
    }

    public static void report(Result result) {
        log.info("generator: {}", result);
    }
}
