package io.squall.server.abuse;

import io.squall.server.testing.JarProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The broker under attack: the real shaded jar in its own JVM with a small heap, on loopback ports of its own,
 * optionally under a lower descriptor limit ({@code ulimit -n}). It may die during an attack (an old build ran out of
 * memory under some of them): every reading here then answers "unknown" instead of failing.
 */
public final class AbuseTarget implements AutoCloseable {
    public static final String KEY = "abuse-backend-key-0123456789abcdef";
    private static final Duration START = Duration.ofSeconds(60);

    private final JarProcess process;
    private final int publicPort;
    private final int privatePort;

    private AbuseTarget(JarProcess process, int publicPort, int privatePort) {
        this.process = process;
        this.publicPort = publicPort;
        this.privatePort = privatePort;
    }

    /**
     * Starts {@code jar} with {@code -Xmx<heap>}, under {@code ulimit -n descriptorLimit} when that is positive, and
     * waits for its ready line. {@code extraArgs} are configuration flags (only keys the build knows).
     */
    public static AbuseTarget start(Path jar, String heap, int descriptorLimit, List<String> extraArgs) {
        int publicPort = JarProcess.freePort();
        int privatePort = JarProcess.freePort();
        List<String> prefix = descriptorLimit > 0
                ? List.of("bash", "-c", "ulimit -n " + descriptorLimit + " && exec \"$0\" \"$@\"")
                : List.of();
        List<String> args = new ArrayList<>(List.of("--public.host=127.0.0.1", "--public.port=" + publicPort,
                "--private.host=127.0.0.1", "--private.port=" + privatePort));
        args.addAll(extraArgs);
        // no -XX:+ExitOnOutOfMemoryError: a broker that runs out of memory and stays up, unable to answer, is the
        // failure the abuse figures must show
        // the attach listener from the start: jcmd's first GC then needs no handshake with a busy JVM
        List<String> jvm = List.of("-Xmx" + heap, "-XX:+StartAttachListener");
        JarProcess process = JarProcess.startJar(prefix, jvm, jar, Map.of("SQUALL_BACKEND_KEY", KEY),
                args.toArray(String[]::new));
        AbuseTarget target = new AbuseTarget(process, publicPort, privatePort);
        try {
            process.awaitLine("Squall ready in \\d+ ms", START);
        } catch (AssertionError e) {
            target.close();
            throw e;
        }
        return target;
    }

    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + publicPort + "/ws");
    }

    public int publicPort() {
        return publicPort;
    }

    public int privatePort() {
        return privatePort;
    }

    public long pid() {
        return process.process().pid();
    }

    public boolean alive() {
        return process.process().isAlive();
    }

    /** Exit code, or -1 while it runs. */
    public int exitCode() {
        return alive() ? -1 : process.process().exitValue();
    }

    /** Whether the broker's output mentions an {@code OutOfMemoryError}. */
    public boolean ranOutOfMemory() {
        return Stream.concat(process.stdout().stream(), process.stderr().stream())
                .anyMatch(line -> line.contains("OutOfMemoryError"));
    }

    /** Open file descriptors of the process ({@code /proc/PID/fd}), or -1 when gone. */
    public int descriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid()), "fd"))) {
            return (int) fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Threads of the process ({@code /proc/PID/status}), or -1 when gone. */
    public int threads() {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid()), "status"))) {
            return lines.filter(line -> line.startsWith("Threads:"))
                    .mapToInt(line -> Integer.parseInt(line.substring("Threads:".length()).trim()))
                    .findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Heap in use right after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}), in bytes; -1 when unknown. */
    public long heapAfterGc() {
        return alive() ? JvmTools.heapAfterGc(pid()) : -1;
    }

    @Override
    public void close() {
        if (alive()) {
            process.process().destroy(); // SIGTERM first, so a healthy broker stops as it would in production
            try {
                if (!process.process().waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.process().destroyForcibly(); // an OOM broker no longer obeys SIGTERM
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.close();
    }
}
