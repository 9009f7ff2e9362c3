package io.squall.server.cluster;

import io.squall.server.testing.JarProcess;
import io.squall.server.testing.TestBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Squall node as its own process (the shaded jar) on free loopback ports, on the Redis engine, so a test can
 * SIGKILL it, SIGSTOP and SIGCONT it, and count its threads and descriptors from {@code /proc}.
 */
final class NodeProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int publicPort;
    final int privatePort;
    private final JarProcess jar;
    private volatile boolean killed;
    private volatile boolean paused;

    private NodeProcess(String name, int publicPort, int privatePort, JarProcess jar) {
        this.name = name;
        this.publicPort = publicPort;
        this.privatePort = privatePort;
        this.jar = jar;
    }

    /** Starts a node without waiting for it: start several, then {@link #awaitReady()} each. */
    static NodeProcess start(String name, String redisUri, String... extra) {
        int publicPort = JarProcess.freePort();
        int privatePort = JarProcess.freePort();
        List<String> args = new ArrayList<>(List.of("--public.host=127.0.0.1", "--public.port=" + publicPort,
                "--private.host=127.0.0.1", "--private.port=" + privatePort, "--backend.key=" + TestBroker.KEY,
                "--shutdown.timeout=2s", "--engine=redis", "--redis.address=" + redisUri, "--node.id=" + name));
        for (String flag : Liveness.flags()) {
            args.add("--" + flag);
        }
        for (String flag : extra) {
            args.add("--" + flag);
        }
        // a small heap and the C1 compiler only: several nodes share a small machine with the load generator
        Map<String, String> env = Map.of("JDK_JAVA_OPTIONS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        return new NodeProcess(name, publicPort, privatePort, JarProcess.start(env, args.toArray(String[]::new)));
    }

    void awaitReady() {
        jar.awaitLine("Squall ready in", Duration.ofSeconds(60));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (health("/health/ready") != 200) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name + " not ready\n" + jar.output());
            }
            sleep(50);
        }
    }

    URI wsUri() {
        return URI.create("ws://127.0.0.1:" + publicPort + "/ws");
    }

    URI backendWsUri() {
        return URI.create("ws://127.0.0.1:" + privatePort + "/backend/ws");
    }

    /** The HTTP status of a GET on the private port, or -1 when it does not answer within 2 s. */
    int health(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + privatePort + path))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of a GET on the private port (e.g. {@code /health} with its details), or "" when it does not answer. */
    String get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + privatePort + path))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** POSTs a backend request over HTTP and returns the body (for presence reads). */
    String backend(String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + privatePort + "/backend"))
                .timeout(Duration.ofSeconds(5)).header("X-Backend-Key", TestBroker.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Up: neither killed nor paused, so it should answer. */
    boolean up() {
        return !killed && !paused;
    }

    void kill() {
        killed = true;
        jar.process().destroyForcibly();
        try {
            jar.process().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void pause() {
        paused = true;
        signal("-STOP");
    }

    void resume() {
        signal("-CONT");
        paused = false;
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(jar.process().pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill " + signal + " failed on " + name);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Live threads of the process. */
    long threads() {
        return count(Path.of("/proc", Long.toString(jar.process().pid()), "task"));
    }

    /** Open file descriptors of the process (sockets included). */
    long fds() {
        return count(Path.of("/proc", Long.toString(jar.process().pid()), "fd"));
    }

    private static long count(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.count();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir, e);
        }
    }

    /** Lines the node logged at WARN or ERROR, for the report of a failing run. */
    List<String> warnings() {
        return jar.stdout().stream().filter(line -> line.contains(" ERROR [") || line.contains(" WARN  [")).toList();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (paused) {
            resume();
        }
        if (!killed) {
            jar.process().destroy();
            try {
                jar.process().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        jar.close();
    }
}
