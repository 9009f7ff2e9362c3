package io.squall.snap.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A pty pair made by socat, as a SNAP bridge node's serial port looks to the broker: {@link #bridgeEnd()} for the
 * broker, {@link #nodeEnd()} for the simulated mesh. Killing it is unplugging the cable; starting it again makes
 * new {@code /dev/pts/N} devices behind the same links.
 */
public final class Socat implements AutoCloseable {
    private final Path bridgeEnd;
    private final Path nodeEnd;
    private Process process;

    private Socat(Path dir) {
        this.bridgeEnd = dir.resolve("snapA");
        this.nodeEnd = dir.resolve("snapB");
    }

    /**
     * Starts socat with its links in {@code dir}. Skips the test when socat is missing, except under CI
     * ({@code CI} set), where .ci/run installs it and a skip would hide a broken set-up.
     */
    public static Socat start(Path dir) {
        boolean present = List.of("/usr/bin/socat", "/bin/socat", "/usr/local/bin/socat").stream()
                .anyMatch(p -> Files.isExecutable(Path.of(p)));
        if (!present) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("socat is not installed (.ci/run installs it)");
            }
            Assumptions.abort("socat is not installed");
        }
        Socat socat = new Socat(dir);
        socat.restart();
        return socat;
    }

    public Path bridgeEnd() {
        return bridgeEnd;
    }

    public Path nodeEnd() {
        return nodeEnd;
    }

    /** (Re)starts socat and waits for both links. */
    public void restart() {
        try {
            Files.deleteIfExists(bridgeEnd); // SIGKILL leaves them dangling
            Files.deleteIfExists(nodeEnd);
            process = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + bridgeEnd, "pty,raw,echo=0,link=" + nodeEnd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start socat", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.exists(bridgeEnd) && Files.exists(nodeEnd))) {
            if (System.nanoTime() - deadline > 0 || !process.isAlive()) {
                throw new IllegalStateException("socat did not make its ptys");
            }
            pause(10);
        }
    }

    /** Unplugs: SIGKILL, so the links dangle as after a crash. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
