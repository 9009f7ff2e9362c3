package io.squall.bench.stats;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the harness reads of the broker process: CPU and RSS from /proc, and for a JVM broker (Squall) a full GC
 * through {@code jcmd} before a memory reading and the heap in use from its Prometheus {@code /metrics}.
 *
 * @param pid the broker's process id (0: unknown, figures are then left out)
 * @param jcmd path of {@code jcmd}, if the broker is a JVM and a GC should precede memory readings
 * @param metrics the broker's Prometheus endpoint, if it has one
 * @param others further server processes whose CPU counts with the broker's (a cluster's other nodes, its Redis)
 */
public record ServerProbe(long pid, Optional<String> jcmd, Optional<URI> metrics, long[] others) {
    private static final Logger log = LoggerFactory.getLogger(ServerProbe.class);

    public ServerProbe(long pid, Optional<String> jcmd, Optional<URI> metrics) {
        this(pid, jcmd, metrics, new long[0]);
    }

    /** A probe on another process of the same kind (a cluster node), with its own metrics endpoint. */
    public ServerProbe forNode(long nodePid, Optional<URI> nodeMetrics) {
        return new ServerProbe(nodePid, jcmd, nodeMetrics, new long[0]);
    }

    /** CPU of the broker and every other server process together. */
    public ProcStats.Sample cpu() {
        long[] all = new long[others.length + 1];
        all[0] = pid;
        System.arraycopy(others, 0, all, 1, others.length);
        return ProcStats.Sample.of(all);
    }

    public long rssBytes() {
        return pid > 0 ? ProcStats.rssBytes(pid) : -1;
    }

    /**
     * The value of a gauge of the broker's /metrics, named with its labels as printed (e.g.
     * {@code broker_connections{transport="ws"}}), or -1.
     */
    public double gauge(String name) {
        if (metrics.isEmpty()) {
            return -1;
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            String text = http.send(HttpRequest.newBuilder(metrics.get()).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            log.warn("reading {} failed: {}", metrics.get(), e.toString());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Asks a JVM broker for a full GC (so RSS and heap readings hold live data only); no-op for others. */
    public void gc() {
        if (jcmd.isEmpty() || pid <= 0) {
            return;
        }
        try {
            Process process = new ProcessBuilder(jcmd.get(), Long.toString(pid), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            log.warn("jcmd GC.run failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Heap in use (sum of {@code jvm_memory_used_bytes{area="heap"}}), or -1 without a metrics endpoint. */
    public long heapBytes() {
        if (metrics.isEmpty()) {
            return -1;
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            String text = http.send(HttpRequest.newBuilder(metrics.get()).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return (long) sum;
        } catch (IOException | RuntimeException e) {
            log.warn("reading {} failed: {}", metrics.get(), e.toString());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
