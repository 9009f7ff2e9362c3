package io.squall.snap.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.snap.testing.Socat;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator on a real pty pair (socat). */
class SnapSimulatorIT {
    @TempDir
    Path dir;

    @Test
    void close_returns_while_a_node_write_is_blocked_on_a_full_pty() throws IOException, InterruptedException {
        try (Socat socat = Socat.start(dir);
                InputStream neverRead = new FileInputStream(socat.bridgeEnd().toFile())) {
            SnapSimulator simulator = new SnapSimulator(socat.nodeEnd(), 4, Duration.ofMillis(1), "snapb1").start();
            long last = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (simulator.framesSent() != last) { // the ptys fill up, then a node's write blocks
                last = simulator.framesSent();
                assertThat(System.nanoTime()).as("the simulator's writes never blocked").isLessThan(deadline);
                Thread.sleep(500);
            }
            assertThat(last).as("frames written before the ptys filled").isPositive();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(simulator::close);

            assertThat(closing).as("close() is not held by the blocked write")
                    .succeedsWithin(Duration.ofSeconds(10));
            assertThat(neverRead.available()).isPositive();
        }
    }
}
