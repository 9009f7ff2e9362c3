package io.squall.snap;

import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.SnapValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The channel a node RPC is published on: {@code snap/{src}/{function}} by default gives {@code snap/5de663/status}.
 * {@code {dst}} is the destination address for unicast and {@code g<group>} for multicast; {@code {kind}} is
 * {@code unicast}, {@code multicast} or {@code data}.
 *
 * <p>The template is split into literal text and placeholders once, at start, and filled in one pass: a value is
 * inserted as it is and never read again, so a function named {@code x{kind}} cannot expand another placeholder. A
 * node chooses its function names, so each value is also percent-encoded (its UTF-8 bytes outside
 * {@code A-Za-z0-9_-}, {@code %} included): {@code a/b} or {@code ../x} stay one segment of the channel the template
 * gives, and two different names never give the same channel.
 */
final class ChannelTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Set<String> NAMES = Set.of("src", "dst", "function", "kind");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Literal text as {@code String}, placeholders as {@link Placeholder}, in template order. */
    private final List<Object> parts;

    private enum Placeholder { SRC, DST, FUNCTION, KIND }

    ChannelTemplate(String template) {
        validate(template);
        List<Object> split = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int literalStart = 0;
        while (m.find()) {
            if (m.start() > literalStart) {
                split.add(template.substring(literalStart, m.start()));
            }
            split.add(Placeholder.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT)));
            literalStart = m.end();
        }
        if (literalStart < template.length()) {
            split.add(template.substring(literalStart));
        }
        this.parts = List.copyOf(split);
    }

    static void validate(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("snap.channel.template must not be blank");
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!NAMES.contains(m.group(1))) {
                throw new IllegalArgumentException("snap.channel.template: unknown placeholder {" + m.group(1)
                        + "} (use {src}, {dst}, {function}, {kind})");
            }
        }
    }

    String channelOf(SnapMessage message) {
        StringBuilder channel = new StringBuilder(64);
        for (Object part : parts) {
            if (part instanceof Placeholder placeholder) {
                appendEscaped(channel, value(placeholder, message));
            } else {
                channel.append((String) part);
            }
        }
        return channel.toString();
    }

    private static String value(Placeholder placeholder, SnapMessage message) {
        return switch (placeholder) {
            case SRC -> SnapValues.address(message.src());
            case DST -> message.isMulticast() ? "g" + message.dst() : SnapValues.address(message.dst());
            case FUNCTION -> message.function();
            case KIND -> SnapJson.kind(message.kind());
        };
    }

    /** Appends {@code value} with every UTF-8 byte outside {@code A-Za-z0-9_-} written as {@code %XX}. */
    static void appendEscaped(StringBuilder out, String value) {
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }
}
