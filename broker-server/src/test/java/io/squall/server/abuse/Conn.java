package io.squall.server.abuse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One attacking connection, non-blocking so a single thread drives hundreds: bytes queued are written as the
 * broker takes them ({@link #pump}), what it answers is noted (the status line of an HTTP answer) and whether it
 * closed the connection.
 */
final class Conn implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final int KEPT_BYTES = 64;

    private final SocketChannel channel;
    private final Deque<ByteBuffer> pending = new ArrayDeque<>();
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final ByteBuffer scratch = ByteBuffer.allocate(16 * 1024);
    private final long openedNanos = System.nanoTime();
    private boolean closedByPeer;
    private long written;
    private long received;

    private Conn(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects (blocking, at most 2 s); {@code receiveBuffer} &gt; 0 shrinks the socket's receive buffer first. */
    static Conn open(int port, int receiveBuffer) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            if (receiveBuffer > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
            channel.configureBlocking(false);
            return new Conn(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A WebSocket upgrade request for {@code /ws}, without an Origin (a non-browser client). */
    static String upgradeRequest(int port) {
        return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    Conn queue(byte[] bytes) {
        pending.add(ByteBuffer.wrap(bytes));
        return this;
    }

    Conn queue(String ascii) {
        return queue(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes what the socket takes now and reads what arrived; false once the broker closed the connection. */
    boolean pump() {
        return pump(true);
    }

    /**
     * Writes what the socket takes now and, if {@code read}, reads what arrived (a peer that never reads passes
     * false); false once the broker is known to have closed the connection.
     */
    boolean pump(boolean read) {
        if (closedByPeer) {
            return false;
        }
        try {
            if (read) {
                readAvailable(); // first: an answer already in must not be lost to a reset caused by our write
            }
            while (!pending.isEmpty()) {
                ByteBuffer next = pending.peek();
                written += channel.write(next);
                if (next.hasRemaining()) {
                    break;
                }
                pending.poll();
            }
            if (read) {
                readAvailable();
            }
        } catch (IOException e) {
            closedByPeer = true;
        }
        if (closedByPeer && read) {
            try {
                readAvailable(); // what came before the reset
            } catch (IOException ignored) {
                // reset: nothing more to read
            }
        }
        return !closedByPeer;
    }

    private void readAvailable() throws IOException {
        while (true) {
            scratch.clear();
            int read = channel.read(scratch);
            if (read < 0) {
                closedByPeer = true;
                return;
            }
            if (read == 0) {
                return;
            }
            received += read;
            int keep = Math.min(read, KEPT_BYTES - head.size());
            if (keep > 0) {
                head.write(scratch.array(), 0, keep);
            }
        }
    }

    /** Whether every queued byte was written. */
    boolean flushed() {
        return pending.isEmpty();
    }

    /** The HTTP status the broker answered, or -1 before (or without) one. */
    int status() {
        String text = head.toString(StandardCharsets.ISO_8859_1);
        if (text.startsWith("HTTP/1.1 ") && text.length() >= 12) {
            try {
                return Integer.parseInt(text.substring(9, 12));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    boolean closedByPeer() {
        return closedByPeer;
    }

    long written() {
        return written;
    }

    long received() {
        return received;
    }

    long ageMillis() {
        return (System.nanoTime() - openedNanos) / 1_000_000;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
