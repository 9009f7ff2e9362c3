package io.squall.server.abuse;

import io.squall.server.testing.RawWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Descriptor exhaustion (finding 3): the broker runs under {@code ulimit -n 512} and WebSocket connections are
 * opened from four threads, and held, until 20 in a row are refused; then each thread knocks every 800 ms.
 * A refusal should be an HTTP 503; a handshake not answered within 2 s is counted as hung.
 */
final class DescriptorExhaustion implements Attack {
    static final int DESCRIPTOR_LIMIT = 512;
    private static final int ANSWER_TIMEOUT_MILLIS = 2_000;
    /** Refusals in a row after which the broker is taken as full. */
    private static final int FULL_AFTER = 20;
    private static final int MAX_CONNECTIONS = 2_000;
    /** Longest the attack goes on past its deadline when the broker has not refused anything yet. */
    private static final java.time.Duration FILL_LIMIT = java.time.Duration.ofSeconds(30);
    /** Threads opening connections: the limit is reached within the attack's seconds even on a busy machine. */
    private static final int OPENERS = 4;

    private final List<Socket> held = new ArrayList<>();

    @Override
    public String name() {
        return "fd-exhaustion";
    }

    @Override
    public int descriptorLimit() {
        return DESCRIPTOR_LIMIT;
    }

    @Override
    public void run(AbuseTarget target, long deadlineNanos, Counts counts) throws InterruptedException {
        counts.add("held", 0);
        counts.add("503", 0);
        counts.add("hung", 0);
        AtomicInteger refusedInARow = new AtomicInteger();
        List<Thread> openers = new ArrayList<>();
        for (int i = 0; i < OPENERS; i++) {
            openers.add(Thread.ofPlatform().daemon().name("abuse-fd-opener-" + i).start(() -> {
                // until the deadline, and past it (up to FILL_LIMIT) while the broker still takes connections
                long limit = System.nanoTime() + FILL_LIMIT.toNanos();
                while ((Attack.before(deadlineNanos) || refusedInARow.get() < FULL_AFTER && Attack.before(limit))
                        && heldCount() < MAX_CONNECTIONS) {
                    boolean accepted = attempt(target.publicPort(), counts);
                    int refused = accepted ? 0 : refusedInARow.incrementAndGet();
                    if (accepted) {
                        refusedInARow.set(0);
                    } else if (refused >= FULL_AFTER) {
                        Probes.sleepMillis(200 * OPENERS); // full: keep knocking, slowly
                    }
                }
            }));
        }
        for (Thread opener : openers) {
            opener.join();
        }
        counts.set("held", heldCount());
    }

    private int heldCount() {
        synchronized (held) {
            return held.size();
        }
    }

    /** One handshake; true when it was accepted (101) and is now held. */
    private boolean attempt(int port, Counts counts) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), ANSWER_TIMEOUT_MILLIS);
            socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
            socket.getOutputStream().write(Conn.upgradeRequest(port).getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            int status = RawWebSocket.readHead(in).status();
            if (status == 101) {
                synchronized (held) {
                    held.add(socket);
                }
                return true;
            }
            counts.add(status == 503 ? "503" : "status " + status, 1);
        } catch (SocketTimeoutException e) {
            counts.add("hung", 1);
        } catch (IOException e) {
            counts.add("reset", 1);
        }
        close(socket);
        return false;
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void release(Counts counts) {
        synchronized (held) {
            held.forEach(DescriptorExhaustion::close);
        }
    }
}
