package io.squall.bench.cost;

import io.squall.bench.proto.Marker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * A stand-in broker that costs the generator nothing to understand: it accepts WebSocket connections on loopback,
 * answers the handshake and then writes pre-built, unmasked server TEXT frames shaped like Squall's publications
 * (stamped like the real ones) to every connection, {@code burst} frames per connection per round, as fast as the
 * sockets take them or at {@code rounds} per second. One thread, plain NIO; a socket that is full keeps its
 * unsent tail and gets nothing new until it drains, so the generator is never flooded past what it reads.
 */
public final class Flooder {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final int connections;
    private final int burst;
    private final int payloadBytes;
    private final double roundsPerSecond;
    private final List<SocketChannel> sockets = new ArrayList<>();
    private ByteBuffer[] pending;

    public Flooder(int connections, int burst, int payloadBytes, double roundsPerSecond) {
        this.connections = connections;
        this.burst = burst;
        this.payloadBytes = payloadBytes;
        this.roundsPerSecond = roundsPerSecond;
    }

    /** Accepts {@code connections} WebSockets on {@code server} and completes their handshakes. */
    public void accept(ServerSocketChannel server) throws IOException {
        for (int i = 0; i < connections; i++) {
            SocketChannel socket = server.accept();
            socket.socket().setTcpNoDelay(true);
            handshake(socket);
            socket.configureBlocking(false);
            sockets.add(socket);
        }
        pending = new ByteBuffer[connections];
    }

    /** Floods until {@code deadlineNanos} or until a connection closes. */
    public void flood(long deadlineNanos) {
        byte[] frame = frame();
        ByteBuffer round = ByteBuffer.allocateDirect(frame.length * burst);
        long interval = roundsPerSecond > 0 ? (long) (1e9 / roundsPerSecond) : 0;
        long next = System.nanoTime();
        while (System.nanoTime() < deadlineNanos) {
            if (interval > 0) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                next += interval;
            }
            fill(round, frame, System.nanoTime());
            try {
                for (int i = 0; i < sockets.size(); i++) {
                    if (!send(i, round)) {
                        return;
                    }
                }
            } catch (IOException e) {
                return; // the generator is done and has closed its connections
            }
        }
    }

    private boolean send(int index, ByteBuffer round) throws IOException {
        SocketChannel socket = sockets.get(index);
        ByteBuffer tail = pending[index];
        if (tail != null) {
            if (socket.write(tail) < 0) {
                return false;
            }
            if (tail.hasRemaining()) {
                return true;
            }
            pending[index] = null;
        }
        ByteBuffer out = round.duplicate();
        socket.write(out);
        if (out.hasRemaining()) {
            pending[index] = ByteBuffer.allocate(out.remaining()).put(out).flip();
        }
        return socket.isOpen();
    }

    private void fill(ByteBuffer round, byte[] frame, long stampNanos) {
        byte[] stamp = Marker.payload(Marker.LENGTH, stampNanos, 0);
        int stampAt = frame.length - payloadBytes - 3;
        System.arraycopy(stamp, 0, frame, stampAt, stamp.length);
        round.clear();
        for (int i = 0; i < burst; i++) {
            round.put(frame);
        }
        round.flip();
    }

    /** One server TEXT frame: Snorky's publication envelope around a stamped payload. */
    private byte[] frame() {
        byte[] payload = Marker.payload(payloadBytes, 0, 0);
        String json = "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"bench\",\"message\":\""
                + new String(payload, StandardCharsets.US_ASCII) + "\"}}";
        byte[] body = json.getBytes(StandardCharsets.US_ASCII);
        int header = body.length < 126 ? 2 : 4;
        byte[] frame = new byte[header + body.length];
        frame[0] = (byte) 0x81;
        if (header == 2) {
            frame[1] = (byte) body.length;
        } else {
            frame[1] = 126;
            frame[2] = (byte) (body.length >>> 8);
            frame[3] = (byte) body.length;
        }
        System.arraycopy(body, 0, frame, header, body.length);
        return frame;
    }

    public void close() {
        for (SocketChannel socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static void handshake(SocketChannel socket) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(8192);
        String request = "";
        while (!request.contains("\r\n\r\n")) {
            if (socket.read(in) < 0) {
                throw new IOException("closed during the handshake");
            }
            request = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
        }
        String key = null;
        for (String line : request.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                key = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        if (key == null) {
            throw new IOException("not a WebSocket handshake: " + request);
        }
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
        ByteBuffer out = ByteBuffer.wrap(response.getBytes(StandardCharsets.US_ASCII));
        while (out.hasRemaining()) {
            socket.write(out);
        }
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ServerSocketChannel listen(int port) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", port), 16_384);
        return server;
    }
}
