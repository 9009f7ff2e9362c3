package io.squall.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rounds of attacks on raw sockets, each expected to be cut by the broker: a ping flood (a WebSocket that sends
 * pings and never reads: cut as a slow consumer), slowloris on both ports (a request head dribbled a byte a second:
 * cut at the header timeout) and giant headers on both ports (a megabyte of request head: refused with 400 and
 * closed). An attack not cut within {@link #DEADLINE_MILLIS} is closed by the soak and counted as not cut.
 */
final class Abuse {
    static final long DEADLINE_MILLIS = 60_000;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Outcomes of one kind of attack. */
    static final class Kind {
        final String name;
        final AtomicLong launched = new AtomicLong();
        final AtomicLong cut = new AtomicLong();
        final AtomicLong notCut = new AtomicLong();
        final AtomicLong failedToStart = new AtomicLong();
        final AtomicLong maxCutMillis = new AtomicLong();
        /** still running when the run ended */
        final AtomicLong interrupted = new AtomicLong();

        Kind(String name) {
            this.name = name;
        }
    }

    final Kind pingFlood = new Kind("ping flood (public)");
    final Kind slowloris = new Kind("slowloris (both ports)");
    final Kind giantHeaders = new Kind("giant headers (both ports)");
    private final int publicPort;
    private final int privatePort;
    private final ScheduledExecutorService timer;
    private final Map<Socket, Boolean> open = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean stopping;

    Abuse(int publicPort, int privatePort, ScheduledExecutorService timer) {
        this.publicPort = publicPort;
        this.privatePort = privatePort;
        this.timer = timer;
    }

    List<Kind> kinds() {
        return List.of(pingFlood, slowloris, giantHeaders);
    }

    /** Attack connections open right now. */
    int open() {
        return open.size();
    }

    int running() {
        return running.get();
    }

    /** One round: five attacks, each on a virtual thread of its own. */
    void round() {
        start(pingFlood, this::pingFlood, publicPort);
        start(slowloris, this::slowloris, publicPort);
        start(slowloris, this::slowloris, privatePort);
        start(giantHeaders, this::giantHeaders, publicPort);
        start(giantHeaders, this::giantHeaders, privatePort);
    }

    @FunctionalInterface
    private interface Attack {
        /** Returns once the broker cut the connection; throws if it could not even start. */
        void run(Socket socket, int port) throws IOException;
    }

    private void start(Kind kind, Attack attack, int port) {
        kind.launched.incrementAndGet();
        running.incrementAndGet();
        Thread.ofVirtual().name("soak-" + kind.name).start(() -> {
            Socket socket = new Socket();
            open.put(socket, Boolean.TRUE);
            long start = System.nanoTime();
            var deadline = timer.schedule(() -> closeQuietly(socket), DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
            try {
                socket.setReceiveBufferSize(4096); // a peer that reads nothing: small, so the broker's side fills
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                attack.run(socket, port);
                record(kind, start, deadline.cancel(false));
            } catch (StartFailure e) {
                kind.failedToStart.incrementAndGet();
            } catch (IOException e) {
                // a reset or broken pipe is the broker cutting it, unless our own deadline closed the socket
                record(kind, start, deadline.cancel(false));
            } finally {
                closeQuietly(socket);
                open.remove(socket);
                running.decrementAndGet();
            }
        });
    }

    private void record(Kind kind, long start, boolean beforeDeadline) {
        if (stopping) {
            kind.interrupted.incrementAndGet();
        } else if (beforeDeadline) {
            kind.cut.incrementAndGet();
            kind.maxCutMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
        } else {
            kind.notCut.incrementAndGet();
        }
    }

    /** The handshake, then masked 125-byte pings, 64 to a write, never reading a byte. */
    private void pingFlood(Socket socket, int port) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13"
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String head = readHead(in);
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new StartFailure();
        }
        byte[] pings = new byte[64 * 131];
        for (int i = 0; i < 64; i++) {
            int at = i * 131;
            pings[at] = (byte) 0x89;
            pings[at + 1] = (byte) (0x80 | 125);
            // mask 0: the payload goes as it is (any 4 bytes are a valid mask)
        }
        while (true) {
            out.write(pings); // throws once the broker cut the connection
        }
    }

    private void slowloris(Socket socket, int port) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        socket.setSoTimeout(1000);
        out.write(("GET " + (port == publicPort ? "/ws" : "/health") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] buf = new byte[4096];
        while (true) {
            try {
                if (in.read(buf) < 0) {
                    return; // closed by the broker (possibly after a 408)
                }
            } catch (SocketTimeoutException e) {
                out.write(HEX[ThreadLocalRandom.current().nextInt(16)]); // one more byte of the head, a second on
            }
        }
    }

    private void giantHeaders(Socket socket, int port) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(("GET " + (port == publicPort ? "/ws" : "/health") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] header = ("X-Pad: " + "a".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 1024; i++) {
            out.write(header); // a megabyte; the broker stops reading (and closes) long before
        }
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.setSoTimeout((int) DEADLINE_MILLIS);
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
            // the 400 answer, then the close
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0 || head.length() > 16384) {
                throw new StartFailure();
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Closes every attack still running (the end of the run). */
    void close() {
        stopping = true;
        open.keySet().forEach(Abuse::closeQuietly);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The attack could not begin (the handshake was refused): not an outcome of the attack itself. */
    private static final class StartFailure extends IOException {
        StartFailure() {
            super("the attack could not start");
        }
    }
}
