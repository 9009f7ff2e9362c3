package io.squall.snap.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The SNAPB/1 payload (version, kind, addresses, TTL, seq, function, args) to and from {@link SnapMessage}. */
final class Snapb1Payload {
    static final int VERSION = 0x01;
    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 255;

    private static final int NONE = 0x00;
    private static final int FALSE = 0x01;
    private static final int TRUE = 0x02;
    private static final int INT16 = 0x03;
    private static final int STRING = 0x04;
    private static final int BYTE_LIST = 0x05;

    /** Why a payload was refused. */
    enum Fault { MALFORMED, UNSUPPORTED }

    /** Thrown inside the parser only; the codec turns it into a count. */
    static final class Refused extends Exception {
        final Fault fault;

        Refused(Fault fault, String why) {
            super(why, null, false, false);
            this.fault = fault;
        }
    }

    private Snapb1Payload() {}

    static SnapMessage parse(byte[] p, int len) throws Refused {
        if (len < MIN_LENGTH) {
            throw new Refused(Fault.MALFORMED, "short payload");
        }
        if ((p[0] & 0xFF) != VERSION) {
            throw new Refused(Fault.UNSUPPORTED, "version " + (p[0] & 0xFF));
        }
        SnapMessage.Kind kind = SnapMessage.Kind.ofCode(p[1] & 0xFF);
        if (kind == null) {
            throw new Refused(Fault.UNSUPPORTED, "kind " + (p[1] & 0xFF));
        }
        int src = u24(p, 2);
        int dst = kind == SnapMessage.Kind.MULTICAST ? ((p[6] & 0xFF) << 8) | (p[7] & 0xFF) : u24(p, 5);
        int ttl = p[8] & 0xFF;
        int seq = p[9] & 0xFF;
        int nameLength = p[10] & 0xFF;
        int at = 11;
        if (at + nameLength + 1 > len) {
            throw new Refused(Fault.MALFORMED, "function name runs past the payload");
        }
        String function = new String(p, at, nameLength, StandardCharsets.ISO_8859_1);
        at += nameLength;
        int argc = p[at++] & 0xFF;
        List<Object> args = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            if (at >= len) {
                throw new Refused(Fault.MALFORMED, "argument " + i + " missing");
            }
            int tag = p[at++] & 0xFF;
            switch (tag) {
                case NONE -> args.add(null);
                case FALSE -> args.add(Boolean.FALSE);
                case TRUE -> args.add(Boolean.TRUE);
                case INT16 -> {
                    need(at + 2, len, i);
                    args.add((int) (short) (((p[at] & 0xFF) << 8) | (p[at + 1] & 0xFF)));
                    at += 2;
                }
                case STRING, BYTE_LIST -> {
                    need(at + 1, len, i);
                    int n = p[at++] & 0xFF;
                    need(at + n, len, i);
                    byte[] bytes = java.util.Arrays.copyOfRange(p, at, at + n);
                    at += n;
                    args.add(tag == STRING ? new SnapString(bytes) : new SnapByteList(bytes));
                }
                default -> throw new Refused(Fault.UNSUPPORTED, "argument tag " + tag);
            }
        }
        if (at != len) {
            throw new Refused(Fault.MALFORMED, (len - at) + " bytes after the last argument");
        }
        if (kind == SnapMessage.Kind.DATA_MODE && (!function.isEmpty() || args.size() != 1
                || !(args.get(0) instanceof SnapString))) {
            throw new Refused(Fault.MALFORMED, "data mode carries one byte string and no function");
        }
        return new SnapMessage(kind, src, dst, ttl, seq, function, args);
    }

    private static void need(int end, int len, int arg) throws Refused {
        if (end > len) {
            throw new Refused(Fault.MALFORMED, "argument " + arg + " runs past the payload");
        }
    }

    private static int u24(byte[] p, int at) {
        return ((p[at] & 0xFF) << 16) | ((p[at + 1] & 0xFF) << 8) | (p[at + 2] & 0xFF);
    }

    static byte[] encode(SnapMessage m) {
        // what the decoder would refuse is refused here, not sent (found by Snapb1FuzzTest)
        if (!StandardCharsets.ISO_8859_1.newEncoder().canEncode(m.function())) {
            throw new IllegalArgumentException("function name is not ISO-8859-1: " + m.function());
        }
        if (m.kind() == SnapMessage.Kind.DATA_MODE && (!m.function().isEmpty() || m.args().size() != 1
                || !(m.args().get(0) instanceof SnapString))) {
            throw new IllegalArgumentException("data mode carries one byte string and no function");
        }
        byte[] name = m.function().getBytes(StandardCharsets.ISO_8859_1);
        if (name.length > 255 || m.args().size() > 255) {
            throw new IllegalArgumentException("function name and argument count are one byte each");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(VERSION);
        out.write(m.kind().code());
        putU24(out, m.src());
        putU24(out, m.dst()); // a 16-bit group is written as 00 hi lo
        out.write(m.ttl());
        out.write(m.seq());
        out.write(name.length);
        out.writeBytes(name);
        out.write(m.args().size());
        for (Object arg : m.args()) {
            writeArg(out, arg);
        }
        if (out.size() > MAX_LENGTH) {
            throw new IllegalArgumentException("Packet is greater than 255 bytes (" + out.size() + ")");
        }
        return out.toByteArray();
    }

    private static void writeArg(ByteArrayOutputStream out, Object arg) {
        if (arg == null) {
            out.write(NONE);
        } else if (arg instanceof Boolean b) {
            out.write(b ? TRUE : FALSE);
        } else if (arg instanceof Integer i) {
            out.write(INT16);
            out.write((i >> 8) & 0xFF);
            out.write(i & 0xFF);
        } else if (arg instanceof SnapString s) {
            out.write(STRING);
            out.write(s.length());
            out.writeBytes(s.bytes());
        } else if (arg instanceof SnapByteList l) {
            out.write(BYTE_LIST);
            out.write(l.length());
            out.writeBytes(l.bytes());
        } else {
            throw new IllegalArgumentException("Unsupported DataType: " + arg.getClass().getSimpleName());
        }
    }

    private static void putU24(ByteArrayOutputStream out, int v) {
        out.write((v >> 16) & 0xFF);
        out.write((v >> 8) & 0xFF);
        out.write(v & 0xFF);
    }
}
