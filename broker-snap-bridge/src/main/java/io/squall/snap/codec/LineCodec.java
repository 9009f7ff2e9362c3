package io.squall.snap.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text lines for bridge-node scripts that {@code print}, one RPC per line (see docs/snap.md for the grammar):
 * <pre>
 * 5de663@1/3 status 3300 True 126      multicast from 5d.e6.63 to group 1, TTL 3
 * 0a0b0c>000020 report None "ok" [125,0,255]   unicast to 00.00.20
 * 0a0b0c button 1                      unicast to the host
 * </pre>
 * Lines end with LF (a CR before it is ignored); blank lines are skipped; a line longer than
 * {@link #MAX_LINE} bytes is dropped up to its LF and counted as oversize. There is no checksum: use it on short,
 * clean cables, or use SNAPB/1.
 */
public final class LineCodec implements SnapFrameCodec {
    private static final Logger log = LoggerFactory.getLogger(LineCodec.class);
    /** Longest line accepted, LF excluded. */
    public static final int MAX_LINE = 1024;

    private final CodecStats stats = new CodecStats();
    private final byte[] line = new byte[MAX_LINE];
    private int length;
    private boolean oversize;

    @Override
    public void decode(byte[] buf, int off, int len, Consumer<SnapMessage> out) {
        for (int i = off; i < off + len; i++) {
            byte b = buf[i];
            if (b == '\n') {
                endLine(out);
            } else if (length < MAX_LINE) {
                line[length++] = b;
            } else {
                oversize = true;
            }
        }
    }

    private void endLine(Consumer<SnapMessage> out) {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        boolean tooLong = oversize;
        length = 0;
        oversize = false;
        if (tooLong) {
            stats.oversize();
            log.debug("line over {} bytes dropped", MAX_LINE);
            return;
        }
        String text = new String(line, 0, end, StandardCharsets.ISO_8859_1).strip();
        if (text.isEmpty()) {
            return;
        }
        SnapMessage message;
        try {
            message = LineSyntax.parse(text);
        } catch (IllegalArgumentException e) {
            stats.framingError();
            log.debug("line refused ({}): {}", e.getMessage(), text);
            return;
        }
        stats.frame();
        out.accept(message);
    }

    @Override
    public void reset() {
        length = 0;
        oversize = false;
    }

    @Override
    public byte[] encode(SnapMessage message) {
        StringBuilder text = new StringBuilder(64).append(SnapValues.address(message.src()));
        switch (message.kind()) {
            case UNICAST -> text.append('>').append(SnapValues.address(message.dst()));
            case MULTICAST -> text.append('@').append(message.dst()).append('/').append(message.ttl());
            default -> throw new IllegalArgumentException("the line format carries RPCs only, not " + message.kind());
        }
        // a leading quote would make the parser read the name as a quoted string (found by LineCodecFuzzTest)
        if (message.function().isEmpty() || message.function().chars().anyMatch(c -> c <= ' ' || c > '~')
                || message.function().charAt(0) == '"') {
            throw new IllegalArgumentException("function name must be printable without spaces or a leading quote: "
                    + message.function());
        }
        text.append(' ').append(message.function());
        for (Object arg : message.args()) {
            text.append(' ');
            LineSyntax.appendArg(text, arg);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 1);
        out.writeBytes(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write('\n');
        if (out.size() > MAX_LINE + 1) {
            throw new IllegalArgumentException("line longer than " + MAX_LINE + " bytes");
        }
        return out.toByteArray();
    }

    @Override
    public CodecStats stats() {
        return stats;
    }

    @Override
    public String name() {
        return "line";
    }

    /** The line grammar, both ways. */
    static final class LineSyntax {
        private LineSyntax() {}

        static SnapMessage parse(String text) {
            List<String> tokens = tokenize(text);
            if (tokens.size() < 2) {
                throw new IllegalArgumentException("a line needs an address and a function");
            }
            String header = tokens.get(0);
            String function = tokens.get(1);
            List<Object> args = new ArrayList<>(tokens.size() - 2);
            for (String token : tokens.subList(2, tokens.size())) {
                args.add(parseArg(token));
            }
            int at = header.indexOf('@');
            int gt = header.indexOf('>');
            if (at > 0) {
                int slash = header.indexOf('/', at);
                if (slash < 0) {
                    throw new IllegalArgumentException("multicast header is SRC@GROUP/TTL");
                }
                int group = parseNumber(header.substring(at + 1, slash), 0xFFFF, "group");
                int ttl = parseNumber(header.substring(slash + 1), 255, "TTL");
                return SnapMessage.multicast(SnapValues.parseAddress(header.substring(0, at)), group, ttl, 0,
                        function, args);
            }
            if (gt > 0) {
                return SnapMessage.unicast(SnapValues.parseAddress(header.substring(0, gt)),
                        SnapValues.parseAddress(header.substring(gt + 1)), 0, function, args);
            }
            return SnapMessage.unicast(SnapValues.parseAddress(header), 0, 0, function, args);
        }

        private static int parseNumber(String text, int max, String what) {
            try {
                int value = text.startsWith("0x") ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
                if (value < 0 || value > max) {
                    throw new IllegalArgumentException(what + " out of range: " + text);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " is not a number: " + text, e);
            }
        }

        private static List<String> tokenize(String text) {
            List<String> tokens = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == ' ' || c == '\t') {
                    i++;
                    continue;
                }
                int start = i;
                if (c == '"') {
                    i++;
                    while (i < text.length() && text.charAt(i) != '"') {
                        i += text.charAt(i) == '\\' ? 2 : 1;
                    }
                    if (i >= text.length()) {
                        throw new IllegalArgumentException("unterminated string");
                    }
                    i++;
                } else {
                    while (i < text.length() && text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                        i++;
                    }
                }
                tokens.add(text.substring(start, i));
            }
            return tokens;
        }

        static Object parseArg(String token) {
            switch (token.toLowerCase(Locale.ROOT)) {
                case "none" -> {
                    return null;
                }
                case "true" -> {
                    return Boolean.TRUE;
                }
                case "false" -> {
                    return Boolean.FALSE;
                }
                default -> { }
            }
            if (token.startsWith("\"")) {
                return new SnapString(unquote(token.substring(1, token.length() - 1)));
            }
            if (token.startsWith("[") && token.endsWith("]")) {
                return byteList(token.substring(1, token.length() - 1));
            }
            if (token.matches("-?\\d{1,6}")) {
                int value = Integer.parseInt(token);
                if (value < SnapValues.MIN_INT || value > SnapValues.MAX_INT) {
                    throw new IllegalArgumentException("Int out of range: " + token);
                }
                return value;
            }
            return SnapString.latin1(token);
        }

        private static SnapByteList byteList(String inner) {
            if (inner.isBlank()) {
                return new SnapByteList(new byte[0]);
            }
            String[] parts = inner.split(",");
            byte[] bytes = new byte[parts.length];
            for (int i = 0; i < parts.length; i++) {
                bytes[i] = (byte) parseNumber(parts[i].strip(), 255, "byte");
            }
            return new SnapByteList(bytes);
        }

        private static byte[] unquote(String inner) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(inner.length());
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                char next = i + 1 < inner.length() ? inner.charAt(i + 1) : 0;
                if (next == 'x' && i + 3 < inner.length()) {
                    out.write(parseNumber("0x" + inner.substring(i + 2, i + 4), 255, "escape"));
                    i += 3;
                } else if (next == '\\' || next == '"') {
                    out.write(next);
                    i++;
                } else {
                    throw new IllegalArgumentException("bad escape in string");
                }
            }
            return out.toByteArray();
        }

        static void appendArg(StringBuilder text, Object arg) {
            if (arg == null) {
                text.append("None");
            } else if (arg instanceof Boolean b) {
                text.append(b ? "True" : "False");
            } else if (arg instanceof Integer i) {
                text.append(i);
            } else if (arg instanceof SnapByteList list) {
                text.append('[');
                byte[] bytes = list.bytes();
                for (int i = 0; i < bytes.length; i++) {
                    text.append(i == 0 ? "" : ",").append(bytes[i] & 0xFF);
                }
                text.append(']');
            } else if (arg instanceof SnapString s) {
                text.append('"');
                for (byte b : s.bytes()) {
                    int c = b & 0xFF;
                    if (c == '"' || c == '\\') {
                        text.append('\\').append((char) c);
                    } else if (c < 0x20 || c > 0x7E) {
                        text.append(String.format(Locale.ROOT, "\\x%02x", c));
                    } else {
                        text.append((char) c);
                    }
                }
                text.append('"');
            }
        }
    }
}
