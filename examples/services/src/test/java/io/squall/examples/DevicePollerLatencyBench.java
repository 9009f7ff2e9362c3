package io.squall.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.Registry;
import io.squall.examples.device.DevicePoller;
import io.squall.examples.device.SimulatedDevice;
import io.squall.examples.slow.SlowHandler;
import io.squall.server.Squall;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * Figures, not a test: other clients' RPC latency while the device poller blocks on its device (a 200 ms read, back to
 * back, each reading published), and the slow handler's 13 calls on a pool of 10.
 *
 * <pre>
 * ./mvnw -B -q -pl examples -am package -DskipTests -Dfuzz.skip=true dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp "examples/target/test-classes:examples/target/classes:$(cat examples/target/test-classpath.txt)" \
 *     io.squall.examples.DevicePollerLatencyBench [seconds] [clients] [slowWorkSeconds]
 * </pre>
 * (or run its main from an IDE). Defaults: 10 s, 8 clients, 10 s of slow work (0 skips that part). The device part runs
 * a warm-up first; a baseline broker whose device stays idle gives the same calls' latency without it.
 */
public final class DevicePollerLatencyBench {
    private DevicePollerLatencyBench() {}

    @SuppressWarnings("try")
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int slowSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        try (Squall baseline = Brokers.onLoopback()
                .service(Registry.PUBLIC, new DevicePoller("device", new SimulatedDevice(Duration.ofMillis(200)),
                        "device/readings", Duration.ofDays(1))) // one read, then idle: the same RPC, no device
                .start()) {
            devicePoller(baseline, new SimulatedDevice(Duration.ZERO), Math.max(2, seconds / 5), clients, null);
            devicePoller(baseline, new SimulatedDevice(Duration.ZERO), seconds, clients, "baseline, device idle");
        }
        SimulatedDevice device = new SimulatedDevice(Duration.ofMillis(200));
        try (Squall squall = Brokers.onLoopback().set("log.level", "WARN")
                .service(Registry.PUBLIC, new DevicePoller("device", device, "device/readings", Duration.ZERO))
                .service(Registry.PUBLIC, new SlowHandler("slow", Duration.ofSeconds(slowSeconds), 10, 3))
                .start()) {
            devicePoller(squall, device, Math.max(2, seconds / 5), clients, null); // warm-up: JIT, connections
            devicePoller(squall, device, seconds, clients, "device read back to back");
            if (slowSeconds > 0) {
                slowHandler(squall, slowSeconds);
            }
        }
    }

    /** Clients calling {@code readings} (every tenth call {@code setExposure}); {@code label} null: a warm-up. */
    private static void devicePoller(Squall squall, SimulatedDevice device, int seconds, int clients, String label)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long readsBefore = device.reads();
        List<Future<Histogram>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            results.add(pool.submit(() -> {
                Histogram histogram = new Histogram(3);
                try (WsTestClient client = Brokers.connect(squall)) {
                    for (int id = 1; System.nanoTime() - end < 0; id++) {
                        String command = id % 10 == 0 ? "setExposure" : "readings";
                        String params = id % 10 == 0 ? "{\"exposureMs\":" + (id % 500 + 1) + "}" : "{}";
                        long start = System.nanoTime();
                        JsonNode reply = client.call("device", command, params, id);
                        long micros = (System.nanoTime() - start) / 1000;
                        // setExposure may find the device's queue full (Overloaded): by design, not counted
                        if (command.equals("readings")
                                && !reply.path("message").path("type").asText().equals("response")) {
                            throw new IllegalStateException("unexpected reply " + reply);
                        }
                        if (command.equals("readings")) { // setExposure waits for the device by design
                            histogram.recordValue(micros);
                        }
                    }
                }
                return histogram;
            }));
        }
        Histogram all = new Histogram(3);
        for (Future<Histogram> result : results) {
            all.add(result.get());
        }
        pool.shutdown();
        if (label == null) {
            return;
        }
        print(String.format(Locale.ROOT, "device poller (%s): %d clients x %d s, %d device reads of 200 ms meanwhile;"
                        + " 'readings' RPC round trip over WebSocket: n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms",
                label, clients, seconds, device.reads() - readsBefore, all.getTotalCount(),
                all.getValueAtPercentile(50) / 1000.0, all.getValueAtPercentile(99) / 1000.0,
                all.getMaxValue() / 1000.0));
    }

    private static void slowHandler(Squall squall, int slowSeconds) {
        try (WsTestClient caller = Brokers.connect(squall); WsTestClient pinger = Brokers.connect(squall)) {
            long start = System.nanoTime();
            for (int id = 1; id <= 14; id++) {
                caller.send(Brokers.call(id, "slow", "slow", "{}"));
            }
            Histogram pings = new Histogram(3);
            int done = 0;
            String refused = "";
            while (done < 13) {
                String frame = caller.poll(Duration.ofMillis(100));
                if (frame != null && frame.contains("\"done\"")) {
                    done++;
                } else if (frame != null && frame.contains("Overloaded")) {
                    refused = String.format(Locale.ROOT, "14th refused 'Overloaded' after %.1f ms",
                            (System.nanoTime() - start) / 1e6);
                }
                long pingStart = System.nanoTime();
                pinger.call("slow", "ping", "{}", done * 1000 + (int) (pings.getTotalCount() % 1000));
                pings.recordValue((System.nanoTime() - pingStart) / 1000);
            }
            print(String.format(Locale.ROOT, "slow handler: 13 calls of %d s on 10 threads done in %.1f s; %s;"
                            + " ping meanwhile: n=%d p50=%.2f ms p99=%.2f ms", slowSeconds,
                    (System.nanoTime() - start) / 1e9, refused, pings.getTotalCount(),
                    pings.getValueAtPercentile(50) / 1000.0, pings.getValueAtPercentile(99) / 1000.0));
        }
    }

    @SuppressWarnings("SystemOut")
    private static void print(String line) {
        System.out.println(line);
    }
}
