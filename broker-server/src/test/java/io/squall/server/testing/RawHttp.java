package io.squall.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain socket that speaks as much HTTP as a test needs, including what no client should: a request head cut
 * short and left there, sent a byte at a time, or far too large. It tells when (and whether) the server let go.
 * Not thread-safe: one test thread drives it.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final long openedNanos;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.openedNanos = System.nanoTime();
    }

    /** Connects to a loopback port. */
    public static RawHttp open(int port) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setTcpNoDelay(true);
            return new RawHttp(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new AssertionError("cannot connect to port " + port, e);
        }
    }

    /** Sends {@code text} (ISO-8859-1) as it is; false when the server had already closed the connection. */
    public boolean send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads a response head (status line and headers) and the body its Content-Length announces. */
    public RawWebSocket.HandshakeResponse readResponse() {
        try {
            socket.setSoTimeout(10_000);
            RawWebSocket.HandshakeResponse head = RawWebSocket.readHead(in);
            int length = Integer.parseInt(head.headers().getOrDefault("content-length", "0"));
            if (in.readNBytes(length).length != length) {
                throw new AssertionError("response body cut short");
            }
            return head;
        } catch (IOException e) {
            throw new AssertionError("no response", e);
        }
    }

    /**
     * Reads (and drops) whatever comes until the server ends the connection, by end of stream or reset; fails
     * after {@code wait}. Returns the time since the connection was opened.
     */
    public Duration awaitClosed(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] sink = new byte[4096];
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("still open after " + wait);
                }
                socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
                if (in.read(sink) < 0) {
                    return sinceOpened();
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after " + wait, e);
        } catch (IOException e) {
            return sinceOpened(); // reset: closed with our bytes unread
        }
    }

    /**
     * Sends {@code text} a byte every {@code gap} until the server closes the connection; fails after {@code wait}.
     * Returns the time since the connection was opened.
     */
    public Duration trickleUntilClosed(String text, Duration gap, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (int i = 0; System.nanoTime() - deadline < 0; i = (i + 1) % text.length()) {
            if (!send(text.substring(i, i + 1))) {
                return sinceOpened();
            }
            try {
                socket.setSoTimeout((int) Math.max(1, gap.toMillis()));
                if (in.read() < 0) {
                    return sinceOpened();
                }
            } catch (SocketTimeoutException e) {
                continue; // still open: the next byte
            } catch (IOException e) {
                return sinceOpened();
            }
        }
        throw new AssertionError("still open after " + wait);
    }

    public Duration sinceOpened() {
        return Duration.ofNanos(System.nanoTime() - openedNanos);
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
