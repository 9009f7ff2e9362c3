package io.squall.server.snap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import io.squall.snap.sim.SnapSimulator;
import io.squall.snap.testing.Socat;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A socat pty pair, the simulated mesh on one end and a broker bridged to the other: what the SNAP ITs share. */
final class SnapTestBed implements AutoCloseable {
    final Socat socat;
    final SnapSimulator mesh;
    final TestBroker broker;

    private SnapTestBed(Socat socat, SnapSimulator mesh, TestBroker broker) {
        this.socat = socat;
        this.mesh = mesh;
        this.broker = broker;
    }

    /** {@code nodes} simulated nodes reporting every {@code period} in {@code codec}; {@code flags} go to the broker. */
    static SnapTestBed start(Path dir, int nodes, Duration period, String codec, String... flags) {
        Socat socat = Socat.start(dir);
        SnapSimulator mesh = new SnapSimulator(socat.nodeEnd(), nodes, period, codec).start();
        List<String> all = new ArrayList<>(List.of("snap.port=" + socat.bridgeEnd(), "snap.codec=" + codec));
        all.addAll(List.of(flags));
        return new SnapTestBed(socat, mesh, TestBroker.start(all.toArray(String[]::new)));
    }

    void awaitLinkUp() {
        Await.until("the SNAP link is up", () -> broker.server().snapBridge().orElseThrow().isLinkUp());
    }

    /** The next pubsub publication ({@code {type, channel, message}}). */
    static JsonNode nextPublication(WsTestClient client) {
        JsonNode frame = client.next();
        assertThat(frame.path("message").path("type").asText()).isEqualTo("message");
        return frame.path("message");
    }

    /** The next publication on {@code channel}, dropping publications on other channels before it. */
    static JsonNode nextPublication(WsTestClient client, String channel) {
        for (int i = 0; i < 500; i++) {
            JsonNode publication = nextPublication(client);
            if (publication.path("channel").asText().equals(channel)) {
                return publication;
            }
        }
        throw new AssertionError("no publication on " + channel);
    }

    /** Checks that no client was left behind, then stops the broker, the mesh and socat. */
    @Override
    public void close() {
        try {
            broker.awaitNoClients();
        } finally {
            broker.close();
            mesh.close();
            socat.close();
        }
    }

    /** CPU time all threads of this JVM used over {@code window}, as a share of one core (thread CPU, not wall). */
    static double processCpuShareOver(Duration window) {
        long cpuBefore = allThreadsCpuNanos();
        long wallBefore = System.nanoTime();
        try {
            Thread.sleep(window.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (double) (allThreadsCpuNanos() - cpuBefore) / (System.nanoTime() - wallBefore);
    }

    private static long allThreadsCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            total += Math.max(0, threads.getThreadCpuTime(id)); // -1 for a thread that just ended
        }
        return total;
    }
}
