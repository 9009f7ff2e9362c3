package io.squall.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written by hand over a plain socket, for what real clients will not do: send any handshake
 * header (a forged {@code Origin}, none at all), read the HTTP status of a refused handshake, send arbitrary (masked)
 * frames, and stay silent when pinged. It never answers a ping; every frame it reads is kept in {@link #received}.
 * Not thread-safe: one test thread drives it.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MAX_HEAD_BYTES = 16 * 1024;

    /** One frame as the server sent it. */
    public record Frame(int opcode, boolean fin, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame (1005 when it carries none). */
        public int closeCode() {
            if (opcode != CLOSE) {
                throw new IllegalStateException("not a close frame: opcode " + opcode);
            }
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /** The server's answer to a handshake: status code, status line and headers (names in lower case). */
    public record HandshakeResponse(int status, String statusLine, Map<String, String> headers) {}

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final HandshakeResponse handshake;
    private final List<Frame> received = new ArrayList<>();
    private boolean closeSent;

    private RawWebSocket(Socket socket, HandshakeResponse handshake) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.handshake = handshake;
    }

    /**
     * Sends an upgrade request to {@code uri} with the standard WebSocket headers plus {@code headers} (which may
     * override {@code Host}) and returns the server's status, closing the socket. For refused handshakes.
     */
    public static HandshakeResponse handshakeOnly(URI uri, Map<String, String> headers) {
        try (RawWebSocket ws = open(uri, headers)) {
            return ws.handshake;
        }
    }

    /** Opens a WebSocket with extra handshake headers; fails unless the server answers 101 with the right accept key. */
    public static RawWebSocket connect(URI uri, Map<String, String> headers) {
        RawWebSocket ws = open(uri, headers);
        if (ws.handshake.status() != 101) {
            ws.abort();
            throw new AssertionError("handshake refused: " + ws.handshake.statusLine());
        }
        return ws;
    }

    private static RawWebSocket open(URI uri, Map<String, String> headers) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) WAIT.toMillis());
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.setTcpNoDelay(true);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            Map<String, String> all = new LinkedHashMap<>();
            all.put("Host", uri.getHost() + ":" + uri.getPort());
            all.put("Upgrade", "websocket");
            all.put("Connection", "Upgrade");
            all.put("Sec-WebSocket-Key", key);
            all.put("Sec-WebSocket-Version", "13");
            all.putAll(headers);
            StringBuilder request = new StringBuilder("GET ").append(uri.getRawPath())
                    .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\n");
            all.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            HandshakeResponse response = readHead(socket.getInputStream());
            if (response.status() == 101) {
                String accept = response.headers().get("sec-websocket-accept");
                if (!acceptFor(key).equals(accept)) {
                    throw new AssertionError("bad Sec-WebSocket-Accept: " + accept);
                }
            }
            return new RawWebSocket(socket, response);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new AssertionError("handshake with " + uri + " failed", e);
        }
    }

    /** Reads an HTTP response head (up to the blank line) from a raw socket. */
    public static HandshakeResponse readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake after: " + head);
            }
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("response head too long");
            }
            if ((b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1)) {
                matched++;
            } else {
                matched = b == '\r' ? 1 : 0;
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String statusLine = lines[0];
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return new HandshakeResponse(status, statusLine, headers);
    }

    private static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public HandshakeResponse handshake() {
        return handshake;
    }

    public RawWebSocket sendText(String text) {
        return sendFrame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    public RawWebSocket sendBinary(byte[] data) {
        return sendFrame(BINARY, true, data);
    }

    /** Sends a close frame with {@code code} (once). */
    public RawWebSocket sendClose(int code) {
        if (!closeSent) {
            closeSent = true;
            sendFrame(CLOSE, true, new byte[] {(byte) (code >> 8), (byte) code});
        }
        return this;
    }

    /** Sends one client frame (masked, as RFC 6455 requires) with any opcode and payload. */
    public RawWebSocket sendFrame(int opcode, boolean fin, byte[] payload) {
        return write(encode(opcode, fin, payload));
    }

    /** Sends bytes as they are: for frames no client should send (unmasked, reserved bits, bad lengths...). */
    public RawWebSocket sendRaw(byte[] bytes) {
        return write(bytes);
    }

    /** Sends many text frames with a single socket write, so the server reads several of them at once. */
    public RawWebSocket sendTexts(List<String> texts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String text : texts) {
            all.writeBytes(encode(TEXT, true, text.getBytes(StandardCharsets.UTF_8)));
        }
        return write(all.toByteArray());
    }

    /** One client frame, masked with a random key as RFC 6455 requires of clients. */
    public static byte[] encode(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    private RawWebSocket write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new AssertionError("write failed", e);
        }
        return this;
    }

    /**
     * The next frame from the server, pings included (never answered); null when the server closed the socket.
     * Fails when nothing arrives within {@code wait}.
     */
    public Frame readFrame(Duration wait) {
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = readByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            if (length > Integer.MAX_VALUE - 8) {
                throw new IOException("frame too long: " + length);
            }
            byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
            byte[] payload = in.readNBytes((int) length);
            if (payload.length != length) {
                throw new EOFException("frame cut short");
            }
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            Frame frame = new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
            received.add(frame);
            return frame;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame within " + wait, e);
        } catch (IOException e) {
            // a reset after the server gave up on us: the socket is closed either way
            return null;
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("frame cut short");
        }
        return b;
    }

    /** The next text frame's text, skipping pings; fails on anything else or after 30 s. */
    public String nextText() {
        while (true) {
            Frame frame = readFrame(WAIT);
            if (frame == null) {
                throw new AssertionError("socket closed while waiting for a text frame");
            }
            if (frame.opcode() == TEXT && frame.fin()) {
                return frame.text();
            }
            if (frame.opcode() != PING) {
                throw new AssertionError("expected a text frame, got opcode " + frame.opcode());
            }
        }
    }

    /**
     * Reads (and records) frames until the server's close frame or the end of the stream, within {@code wait}.
     *
     * @return the close frame's code, or -1 when the socket was closed without one
     */
    public int awaitClose(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not closed within " + wait);
            }
            Frame frame = readFrame(Duration.ofNanos(left));
            if (frame == null) {
                return -1;
            }
            if (frame.opcode() == CLOSE) {
                return frame.closeCode();
            }
        }
    }

    /**
     * Reads (and records) frames until the server ends the connection, by end of stream or reset, within
     * {@code wait}, never answering its close frame: a peer that proves the server let go of the socket itself.
     *
     * @return the code of the server's close frame if one came first, or -1 when the connection ended without one
     */
    public int awaitDisconnect(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        int code = -1;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("still connected after " + wait);
            }
            Frame frame;
            try {
                frame = readFrame(Duration.ofNanos(left));
            } catch (AssertionError e) {
                throw new AssertionError("still connected after " + wait + " (close code seen: " + code + ")", e);
            }
            if (frame == null) {
                return code;
            }
            if (frame.opcode() == CLOSE && code == -1) {
                code = frame.closeCode();
            }
        }
    }

    /** Every frame read so far, in order. */
    public List<Frame> received() {
        return List.copyOf(received);
    }

    public long pingsReceived() {
        return received.stream().filter(frame -> frame.opcode() == PING).count();
    }

    /** Answers the close handshake if not done yet, then closes the socket. */
    @Override
    public void close() {
        if (!socket.isClosed() && handshake.status() == 101) {
            try {
                sendClose(1000);
            } catch (AssertionError ignored) {
                // the server is already gone
            }
        }
        abort();
    }

    /** Closes the socket without a close frame: a peer that vanishes (never blocks on a full send buffer). */
    public void abort() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) { // nothing left to do
        }
    }
}
