package io.squall.bench.soak;

import io.squall.bench.scenario.Steps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The broker as an operator runs it ({@code java -Xmx.. -jar broker-server.jar}), bridged to one end of a socat pty
 * pair whose other end the soak writes SNAPB/1 frames into. Its output goes to {@code broker.log} in the run's
 * directory.
 */
final class BrokerProcess implements AutoCloseable {
    static final String KEY = "soak-backend-key-0123456789";
    /** history on the fan-out channels, so the soak also holds the engine's retention at its bound */
    static final String CHANNEL_RULES = "soak/fan/* size=100 ttl=30s";

    private final Process socat;
    private final Process broker;
    private final Path log;
    private final Path nodeEnd;
    private final int publicPort;
    private final int privatePort;

    private BrokerProcess(Process socat, Process broker, Path log, Path nodeEnd, int publicPort, int privatePort) {
        this.socat = socat;
        this.broker = broker;
        this.log = log;
        this.nodeEnd = nodeEnd;
        this.publicPort = publicPort;
        this.privatePort = privatePort;
    }

    static BrokerProcess start(SoakOptions options, Path dir) throws IOException {
        if (!Files.isRegularFile(options.jar())) {
            throw new IllegalStateException("no broker jar at " + options.jar() + " (build it: ./mvnw -B package "
                    + "-DskipTests -pl broker-server -am, or bin/soak builds it)");
        }
        Path bridgeEnd = dir.resolve("snap-bridge");
        Path nodeEnd = dir.resolve("snap-mesh");
        Process socat;
        try {
            socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + bridgeEnd, "pty,raw,echo=0,link=" + nodeEnd)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("the soak needs socat for its SNAP pty (apt-get install socat): " + e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.exists(bridgeEnd) && Files.exists(nodeEnd))) {
            if (!socat.isAlive() || System.nanoTime() - deadline > 0) {
                socat.destroyForcibly();
                throw new IllegalStateException("socat made no pty pair (see " + dir.resolve("socat.log") + ")");
            }
            Steps.sleep(10);
        }
        int publicPort = freePort();
        int privatePort = freePort();
        List<String> command = new ArrayList<>(List.of(options.java().toString(), "-Xmx" + options.xmx(),
                "--enable-native-access=ALL-UNNAMED", "-jar", options.jar().toAbsolutePath().toString(),
                "--public.host=127.0.0.1", "--public.port=" + publicPort, "--private.host=127.0.0.1",
                "--private.port=" + privatePort, "--backend.key=" + KEY, "--shutdown.timeout=5s",
                "--pubsub.channels=" + CHANNEL_RULES, "--snap.port=" + bridgeEnd, "--snap.codec=snapb1"));
        Path log = dir.resolve("broker.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SQUALL_"));
        BrokerProcess process = new BrokerProcess(socat, builder.start(), log, nodeEnd, publicPort, privatePort);
        try {
            process.awaitLog("Squall ready", Duration.ofSeconds(90));
            process.awaitLog("SNAP link up", Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return process;
    }

    private void awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logText().contains(text)) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("the broker exited (" + broker.exitValue() + ") before logging '"
                        + text + "'; its log: " + log + "\n" + tail(20));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the broker did not log '" + text + "' within " + timeout
                        + "; its log: " + log);
            }
            Steps.sleep(50);
        }
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String tail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    long pid() {
        return broker.pid();
    }

    boolean isAlive() {
        return broker.isAlive();
    }

    int publicPort() {
        return publicPort;
    }

    int privatePort() {
        return privatePort;
    }

    Path log() {
        return log;
    }

    /** The pty end the simulated SNAP nodes write to. */
    Path nodeEnd() {
        return nodeEnd;
    }

    /** SIGTERM, as an operator stops it; returns the exit code, or -1 if it had to be killed. */
    int stop(Duration timeout) {
        broker.destroy();
        try {
            if (broker.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return broker.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.destroyForcibly();
        return -1;
    }

    @Override
    public void close() {
        if (broker.isAlive()) {
            broker.destroyForcibly();
        }
        socat.destroy();
        try {
            broker.waitFor(10, TimeUnit.SECONDS);
            socat.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socat.destroyForcibly();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
