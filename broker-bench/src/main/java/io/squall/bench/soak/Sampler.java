package io.squall.bench.soak;

import io.squall.bench.stats.ProcStats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Reads the broker process: live heap after a full GC ({@code jcmd PID GC.class_histogram} collects, then counts
 * what survived: the total is the live set, whatever the collector), open descriptors ({@code /proc/PID/fd}),
 * threads and RSS ({@code /proc/PID/status}), and how long {@code /health} takes to answer.
 */
final class Sampler {
    /** a /health slower than this counts as a miss */
    static final Duration HEALTH_BOUND = Duration.ofSeconds(5);

    private final long pid;
    private final Path jcmd;
    private final URI health;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HEALTH_BOUND).build();

    Sampler(long pid, Path jcmd, int privatePort) {
        this.pid = pid;
        this.jcmd = jcmd;
        this.health = URI.create("http://127.0.0.1:" + privatePort + "/health");
    }

    Sample sample(double seconds, LongSupplier clientConnections) {
        double healthMillis = healthMillis();
        long connections = clientConnections.getAsLong();
        return new Sample(seconds, liveHeapBytes(), fds(), threads(), ProcStats.rssBytes(pid), healthMillis,
                connections);
    }

    /** Milliseconds until {@code /health} answered 200, or -1 when it did not within {@link #HEALTH_BOUND}. */
    double healthMillis() {
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(health).timeout(HEALTH_BOUND)
                    .header("X-Backend-Key", BrokerProcess.KEY).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? (System.nanoTime() - start) / 1e6 : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    long liveHeapBytes() {
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return -1;
            }
            return histogramTotal(new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The bytes of the {@code Total} line of a class histogram, or -1. */
    static long histogramTotal(String histogram) {
        List<String> totals = histogram.lines().map(String::trim).filter(l -> l.startsWith("Total")).toList();
        if (totals.isEmpty()) {
            return -1;
        }
        String[] fields = totals.get(totals.size() - 1).split("\\s+");
        try {
            return Long.parseLong(fields[fields.length - 1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    long fds() {
        try (Stream<Path> entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return entries.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    long threads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"),
                    StandardCharsets.US_ASCII)) {
                if (line.startsWith("Threads:")) {
                    return Long.parseLong(line.substring(8).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    void close() {
        http.close();
    }
}
