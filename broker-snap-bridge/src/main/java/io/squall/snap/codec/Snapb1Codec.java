package io.squall.snap.codec;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SNAPB/1: HDLC-like framing (flag 0x7E, escape 0x7D with XOR 0x20) of {@code payload || CRC-16/CCITT-FALSE}
 * (big-endian, over the unescaped payload). Resynchronises on every flag, so garbage, truncated frames and
 * stale bytes cost only the frame they hit. See docs/snap.md for the full specification and test vectors.
 */
public final class Snapb1Codec implements SnapFrameCodec {
    private static final Logger log = LoggerFactory.getLogger(Snapb1Codec.class);
    static final int FLAG = 0x7E;
    static final int ESCAPE = 0x7D;
    static final int XOR = 0x20;
    /** Largest unescaped body: a 255-byte payload plus its CRC. */
    static final int MAX_BODY = Snapb1Payload.MAX_LENGTH + 2;

    private final CodecStats stats = new CodecStats();
    private final byte[] body = new byte[MAX_BODY];
    private int length;
    private boolean inFrame;
    private boolean escaped;
    private boolean oversize;

    @Override
    public void decode(byte[] buf, int off, int len, Consumer<SnapMessage> out) {
        for (int i = off; i < off + len; i++) {
            int b = buf[i] & 0xFF;
            if (b == FLAG) {
                if (inFrame) {
                    endFrame(out);
                }
                startFrame();
            } else if (!inFrame) {
                continue; // noise before the first flag
            } else if (b == ESCAPE) {
                escaped = true;
            } else {
                if (escaped) {
                    b ^= XOR;
                    escaped = false;
                }
                if (length < MAX_BODY) {
                    body[length++] = (byte) b;
                } else {
                    oversize = true; // keep skipping up to the next flag
                }
            }
        }
    }

    private void startFrame() {
        inFrame = true;
        length = 0;
        escaped = false;
        oversize = false;
    }

    private void endFrame(Consumer<SnapMessage> out) {
        if (escaped) {
            stats.framingError(); // 7D 7E: the sender aborted the frame
            log.debug("SNAPB/1 frame aborted by its sender");
        } else if (oversize) {
            stats.oversize();
            log.debug("SNAPB/1 frame over {} bytes dropped", MAX_BODY);
        } else if (length == 0) {
            return; // 7E 7E: an empty frame, or one flag ending a frame and the next starting it
        } else if (length < Snapb1Payload.MIN_LENGTH + 2) {
            stats.framingError();
            log.debug("SNAPB/1 frame of {} bytes is too short", length);
        } else if (Crc16Ccitt.compute(body, 0, length) != 0) {
            stats.crcError();
            log.debug("SNAPB/1 frame of {} bytes failed its CRC", length);
        } else {
            deliver(out);
        }
    }

    private void deliver(Consumer<SnapMessage> out) {
        SnapMessage message;
        try {
            message = Snapb1Payload.parse(body, length - 2);
        } catch (Snapb1Payload.Refused e) {
            if (e.fault == Snapb1Payload.Fault.UNSUPPORTED) {
                stats.unsupported();
            } else {
                stats.framingError();
            }
            log.debug("SNAPB/1 payload refused: {}", e.getMessage());
            return;
        }
        stats.frame();
        out.accept(message);
    }

    @Override
    public void reset() {
        inFrame = false;
        length = 0;
        escaped = false;
        oversize = false;
    }

    @Override
    public byte[] encode(SnapMessage message) {
        byte[] payload = Snapb1Payload.encode(message);
        int crc = Crc16Ccitt.compute(payload, 0, payload.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 8);
        out.write(FLAG);
        for (byte b : payload) {
            stuff(out, b & 0xFF);
        }
        stuff(out, crc >>> 8);
        stuff(out, crc & 0xFF);
        out.write(FLAG);
        return out.toByteArray();
    }

    private static void stuff(ByteArrayOutputStream out, int b) {
        if (b == FLAG || b == ESCAPE) {
            out.write(ESCAPE);
            out.write(b ^ XOR);
        } else {
            out.write(b);
        }
    }

    @Override
    public CodecStats stats() {
        return stats;
    }

    @Override
    public String name() {
        return "snapb1";
    }
}
