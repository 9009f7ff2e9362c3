package io.squall.snap.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One decoded SNAP packet, modelled on SNAPconnect's {@code RpcDescriptor}. Codec-neutral: every
 * {@link SnapFrameCodec} decodes to and encodes from this record.
 *
 * @param kind unicast or multicast RPC, or data-mode bytes
 * @param src the original source's 3-byte SNAP address (0x000000-0xFFFFFF)
 * @param dst unicast: the destination's 3-byte address; multicast: the 16-bit group mask
 * @param ttl hops remaining (multicast; 0 for unicast)
 * @param seq the sender's 8-bit sequence number (informational)
 * @param function the remote function's name (empty for data mode)
 * @param args positional arguments: {@code null}, {@link Boolean}, {@link Integer} (16-bit), {@link SnapString} or
 *     {@link SnapByteList}
 */
public record SnapMessage(Kind kind, int src, int dst, int ttl, int seq, String function, List<Object> args) {

    /** What the packet is; the codes are SNAPB/1's kind byte. */
    public enum Kind {
        UNICAST(0x01),
        MULTICAST(0x02),
        DATA_MODE(0x10);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The kind with SNAPB/1 code {@code code}, or null for reserved and unknown codes. */
        public static Kind ofCode(int code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            return null;
        }
    }

    public SnapMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(function, "function");
        if (src < 0 || src > 0xFFFFFF) {
            throw new IllegalArgumentException("source address out of range: " + src);
        }
        int dstMax = kind == Kind.MULTICAST ? 0xFFFF : 0xFFFFFF;
        if (dst < 0 || dst > dstMax) {
            throw new IllegalArgumentException("destination out of range: " + dst);
        }
        if (ttl < 0 || ttl > 255 || seq < 0 || seq > 255) {
            throw new IllegalArgumentException("ttl and seq are one byte each: " + ttl + ", " + seq);
        }
        for (Object arg : args) {
            SnapValues.check(arg);
        }
        args = Collections.unmodifiableList(new ArrayList<>(args)); // List.copyOf refuses None (null)
    }

    public static SnapMessage unicast(int src, int dst, int seq, String function, List<Object> args) {
        return new SnapMessage(Kind.UNICAST, src, dst, 0, seq, function, args);
    }

    public static SnapMessage multicast(int src, int group, int ttl, int seq, String function, List<Object> args) {
        return new SnapMessage(Kind.MULTICAST, src, group, ttl, seq, function, args);
    }

    public boolean isMulticast() {
        return kind == Kind.MULTICAST;
    }
}
