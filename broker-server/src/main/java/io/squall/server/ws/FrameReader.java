package io.squall.server.ws;

import io.squall.core.error.CloseCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses the frames a client sends (RFC 6455 §5) from whatever pieces the socket delivers. Reads go through one
 * buffer per IO thread, so this keeps only the state of an unfinished frame: an idle connection holds a few
 * fields and no buffer, and a message's bytes are copied (and unmasked) exactly once, into the array the JSON
 * parser reads.
 *
 * <p>Everything a client may get wrong ends the connection with the code RFC 6455 gives it: 1002 for protocol
 * errors (unmasked or reserved-bit frames, unknown opcodes, bad fragmentation, oversized or fragmented control
 * frames, invalid close codes), 1007 for text that is not UTF-8, 1009 for a message over the limit.
 */
final class FrameReader {
    /** What a connection does with what was read; called on the IO thread, in arrival order. */
    interface Sink {
        /** A complete text message, UTF-8 checked; the array is the sink's to keep. */
        void text(byte[] utf8);

        /** A complete binary message (Snorky's protocol is text only, so its bytes are not kept). */
        void binary();

        void ping(byte[] payload);

        void pong();

        /** The peer's close frame: its code (1005 when it gave none) and reason. */
        void close(int code, String reason);

        /** The peer broke the protocol: the connection is to be closed with {@code reason}'s code and {@code detail}. */
        void fail(CloseCode reason, String detail);
    }

    static final int NO_STATUS = 1005;
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final int maxMessageBytes;
    private final Sink sink;
    // the frame being read
    private byte[] header; // created when a header spans two reads
    private int headerRead;
    private int opcode;
    private boolean fin;
    private int mask;
    private long payloadLeft;
    private int payloadRead;
    private byte[] control; // payload of a control frame being read
    // the data message being read (possibly over several frames)
    private int messageOpcode = -1; // -1: none
    private byte[] message;
    private int messageLength;
    private boolean done;

    FrameReader(int maxMessageBytes, Sink sink) {
        this.maxMessageBytes = maxMessageBytes;
        this.sink = sink;
    }

    /** Consumes everything readable in {@code in}; false once the connection is to end (close or error). */
    boolean feed(ByteBuffer in) {
        while (!done && in.hasRemaining()) {
            if (headerRead >= 0) {
                readHeader(in);
            } else {
                readPayload(in);
            }
        }
        return !done;
    }

    /** Reads (part of) a header; true when a whole one has been read and checked. */
    private boolean readHeader(ByteBuffer in) {
        if (headerRead == 0 && in.remaining() >= 2) {
            int length = headerLength(in.get(in.position() + 1));
            if (in.remaining() >= length) {
                // the usual case: the whole header is in this read, parse it in place
                int at = in.position();
                in.position(at + length);
                return startFrame(in, at);
            }
        }
        if (header == null) {
            header = new byte[14];
        }
        header[headerRead++] = in.get();
        if (headerRead < 2 || headerRead < headerLength(header[1])) {
            return false;
        }
        boolean ok = startFrame(ByteBuffer.wrap(header), 0);
        header = null; // a header split over reads is rare: do not keep the array around
        return ok;
    }

    private static int headerLength(byte second) {
        int length = second & 0x7F;
        return 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + ((second & 0x80) != 0 ? 4 : 0);
    }

    private boolean startFrame(ByteBuffer in, int at) {
        int b0 = in.get(at) & 0xFF;
        int b1 = in.get(at + 1) & 0xFF;
        fin = (b0 & 0x80) != 0;
        opcode = b0 & 0x0F;
        if ((b0 & 0x70) != 0) {
            return failed(CloseCode.PROTOCOL_ERROR, "Reserved bits set");
        }
        if ((b1 & 0x80) == 0) {
            return failed(CloseCode.PROTOCOL_ERROR, "Client frames must be masked");
        }
        long length = b1 & 0x7F;
        int next = at + 2;
        if (length == 126) {
            length = in.getShort(next) & 0xFFFF;
            next += 2;
        } else if (length == 127) {
            length = in.getLong(next);
            next += 8;
            if (length < 0) {
                return failed(CloseCode.PROTOCOL_ERROR, "Invalid frame length");
            }
        }
        mask = in.getInt(next);
        if (!checkFrame(length)) {
            return false;
        }
        payloadLeft = length;
        payloadRead = 0;
        headerRead = -1;
        if (opcode >= CLOSE) {
            control = new byte[(int) length];
        } else if (opcode != CONTINUATION) {
            messageOpcode = opcode;
            messageLength = 0;
        }
        if (length == 0) {
            frameDone();
        }
        return true;
    }

    private boolean checkFrame(long length) {
        switch (opcode) {
            case CLOSE, PING, PONG -> {
                if (!fin || length > 125) {
                    return failed(CloseCode.PROTOCOL_ERROR, "Control frames must be whole and at most 125 bytes");
                }
            }
            case TEXT, BINARY -> {
                if (messageOpcode >= 0) {
                    return failed(CloseCode.PROTOCOL_ERROR, "A new message began before the fragmented one ended");
                }
            }
            case CONTINUATION -> {
                if (messageOpcode < 0) {
                    return failed(CloseCode.PROTOCOL_ERROR, "Continuation frame without a message");
                }
            }
            default -> {
                return failed(CloseCode.PROTOCOL_ERROR, "Unknown opcode " + opcode);
            }
        }
        if (opcode < CLOSE && messageLength + length > maxMessageBytes) {
            return failed(CloseCode.MESSAGE_TOO_BIG, CloseCode.MESSAGE_TOO_BIG.text());
        }
        return true;
    }

    private void readPayload(ByteBuffer in) {
        int chunk = (int) Math.min(payloadLeft, in.remaining());
        byte[] into;
        int at;
        if (opcode >= CLOSE) {
            into = control;
            at = payloadRead;
        } else if (messageOpcode == BINARY) {
            into = null; // skipped: the message is answered with an error, its bytes are not needed
            at = 0;
            messageLength += chunk; // but counted: a binary message over the limit is 1009 as a text one is
        } else {
            ensureMessageRoom(chunk);
            into = message;
            at = messageLength;
            messageLength += chunk;
        }
        if (into == null) {
            in.position(in.position() + chunk);
        } else {
            in.get(into, at, chunk);
            unmask(into, at, chunk, payloadRead);
        }
        payloadRead += chunk;
        payloadLeft -= chunk;
        if (payloadLeft == 0) {
            frameDone();
        }
    }

    /** Room for {@code chunk} more message bytes: exact for a whole frame, grown for fragments. */
    private void ensureMessageRoom(int chunk) {
        int needed = messageLength + chunk;
        if (message == null) {
            message = new byte[fin ? (int) (payloadRead + payloadLeft) : Math.max(needed, 256)];
        } else if (message.length < needed) {
            int grown = fin ? needed : (int) Math.min(maxMessageBytes, Math.max(needed, message.length * 2L));
            message = Arrays.copyOf(message, Math.max(grown, needed));
        }
    }

    private void unmask(byte[] bytes, int at, int length, int maskOffset) {
        for (int i = 0; i < length; i++) {
            int shift = 24 - (((maskOffset + i) & 3) << 3);
            bytes[at + i] ^= (byte) (mask >>> shift);
        }
    }

    private void frameDone() {
        headerRead = 0;
        switch (opcode) {
            case CLOSE -> closeFrame(control);
            case PING -> sink.ping(control);
            case PONG -> sink.pong();
            default -> {
                if (fin) {
                    messageDone();
                }
            }
        }
        control = null;
    }

    private void messageDone() {
        int kind = messageOpcode;
        byte[] bytes = message;
        int length = messageLength;
        messageOpcode = -1;
        message = null;
        messageLength = 0;
        if (kind == BINARY) {
            sink.binary();
            return;
        }
        if (bytes == null) {
            bytes = new byte[0];
        } else if (bytes.length != length) {
            bytes = Arrays.copyOf(bytes, length);
        }
        if (!Utf8.isValid(bytes, 0, length)) {
            failed(CloseCode.INVALID_PAYLOAD, "Text frames must be UTF-8");
            return;
        }
        sink.text(bytes);
    }

    private void closeFrame(byte[] payload) {
        done = true;
        if (payload.length == 0) {
            sink.close(NO_STATUS, "");
            return;
        }
        int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        if (!validCloseCode(code)) {
            sink.fail(CloseCode.PROTOCOL_ERROR, "Invalid close code");
        } else if (!Utf8.isValid(payload, 2, payload.length)) {
            sink.fail(CloseCode.INVALID_PAYLOAD, "Close reason must be UTF-8");
        } else {
            sink.close(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
        }
    }

    /** Codes a peer may send (RFC 6455 §7.4): the defined ones that are not reserved, and 3000-4999. */
    private static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private boolean failed(CloseCode reason, String detail) {
        done = true;
        message = null;
        control = null;
        sink.fail(reason, detail);
        return false;
    }
}
