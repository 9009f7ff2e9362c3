package io.squall.server.abuse;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an operator and the other clients see while an attack runs: {@code /health} on the private port asked every
 * 500 ms on a new connection (as an orchestrator does) and answered 200 within a second, or counted as a miss; and a
 * {@link LatencyProbe}, a well-behaved subscriber receiving a backend's publications.
 */
final class Probes implements AutoCloseable {
    static final long HEALTH_INTERVAL_MILLIS = 500;
    static final int HEALTH_TIMEOUT_MILLIS = 1_000;

    private final AbuseTarget target;
    private final LatencyProbe latency;
    private final Thread health;
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicInteger missed = new AtomicInteger();
    private final AtomicInteger missedInARow = new AtomicInteger();
    private final AtomicInteger longestMissRun = new AtomicInteger();
    private final AtomicLong slowestMillis = new AtomicLong();
    private volatile boolean running = true;

    private Probes(AbuseTarget target, LatencyProbe latency) {
        this.target = target;
        this.latency = latency;
        this.health = new Thread(this::probeHealth, "abuse-health-probe");
        health.setDaemon(true);
    }

    static Probes start(AbuseTarget target) {
        Probes probes = new Probes(target, LatencyProbe.start(target));
        probes.health.start();
        return probes;
    }

    private void probeHealth() {
        while (running) {
            long started = System.nanoTime();
            boolean up = healthAnswers(target.privatePort());
            long millis = (System.nanoTime() - started) / 1_000_000;
            asked.incrementAndGet();
            slowestMillis.accumulateAndGet(millis, Math::max);
            if (up) {
                missedInARow.set(0);
            } else {
                missed.incrementAndGet();
                longestMissRun.accumulateAndGet(missedInARow.incrementAndGet(), Math::max);
            }
            sleepMillis(Math.max(0, HEALTH_INTERVAL_MILLIS - millis));
        }
    }

    /** {@code GET /health} on a new connection: 200 within a second, connect included. */
    static boolean healthAnswers(int privatePort) {
        long deadline = System.nanoTime() + HEALTH_TIMEOUT_MILLIS * 1_000_000L;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", privatePort), HEALTH_TIMEOUT_MILLIS);
            int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            socket.setSoTimeout(left);
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] status = in.readNBytes(12); // "HTTP/1.1 200"
            return new String(status, StandardCharsets.US_ASCII).equals("HTTP/1.1 200")
                    && System.nanoTime() - deadline <= 0;
        } catch (IOException e) {
            return false;
        }
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int healthAsked() {
        return asked.get();
    }

    int healthMissed() {
        return missed.get();
    }

    /** The most misses in a row: a broker that stopped answering for good ends with a long run of them. */
    int healthLongestMissRun() {
        return longestMissRun.get();
    }

    long healthSlowestMillis() {
        return slowestMillis.get();
    }

    LatencyProbe latency() {
        return latency;
    }

    /** Stops both probes; once. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            health.join(2 * HEALTH_TIMEOUT_MILLIS + HEALTH_INTERVAL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        latency.close();
    }
}
