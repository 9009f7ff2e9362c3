package io.squall.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak as CI runs it: two minutes of {@code bin/soak} against the jar this build made ({@code squall.jar}),
 * passing only if nothing was lost, every attack was cut, and heap after GC, descriptors and threads stayed flat.
 * {@code -Dsoak.duration=5m} runs it longer.
 */
class SoakIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void two_minutes_of_mixed_traffic_lose_nothing_and_leave_heap_descriptors_and_threads_flat() throws Exception {
        requireSocat();
        Path jar = Path.of(System.getProperty("squall.jar", "../broker-server/target/broker-server.jar"));
        assertThat(jar).as("the broker jar (built by broker-server's package phase)").isRegularFile();
        SoakOptions options = SoakOptions.parse(new String[] {"--duration", System.getProperty("soak.duration", "2m"),
            "--jar", jar.toString(), "--out", dir.toString()});

        SoakReport report = Soak.run(options);

        System.out.println(report.table());
        assertThat(report.failures()).as(report.table()).isEmpty();
        assertThat(report.passed()).isTrue();
    }

    /** socat makes the SNAP pty; CI (.ci/run) installs it, so there its absence is a failure, not a skip. */
    private static void requireSocat() {
        boolean present = List.of("/usr/bin/socat", "/bin/socat", "/usr/local/bin/socat").stream()
                .anyMatch(p -> Files.isExecutable(Path.of(p)));
        if (!present) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("socat is not installed (.ci/run installs it)");
            }
            Assumptions.abort("socat is not installed");
        }
    }
}
