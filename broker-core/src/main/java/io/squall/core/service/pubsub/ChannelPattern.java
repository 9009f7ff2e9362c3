package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A channel pattern of a permission rule: a glob on string channels where {@code *} stands for any run of
 * characters (none included) and {@code {identity}} for the connection's own identity, matched literally. A lone
 * {@code *} matches every channel, whatever its JSON type; any other pattern matches string channels only.
 * Immutable and thread-safe.
 */
public final class ChannelPattern {
    static final String IDENTITY = "{identity}";

    /** One piece of the pattern: literal text, a {@code *}, or the identity placeholder. */
    private sealed interface Part permits Literal, Star, Placeholder {}

    private record Literal(String text) implements Part {}

    private record Star() implements Part {}

    private record Placeholder() implements Part {}

    private final String source;
    private final List<Part> parts;
    private final boolean matchesAll;
    private final boolean usesIdentity;
    /** the literal runs between stars, when there is no placeholder (computed once; else per match) */
    private final List<String> fixedSegments;

    private ChannelPattern(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
        this.matchesAll = parts.stream().allMatch(Star.class::isInstance);
        this.usesIdentity = parts.stream().anyMatch(Placeholder.class::isInstance);
        this.fixedSegments = usesIdentity ? null : List.copyOf(segments(this.parts, null));
    }

    /**
     * Compiles {@code pattern}.
     *
     * @throws IllegalArgumentException when it is empty or has a brace that is not part of {@code {identity}}
     */
    public static ChannelPattern compile(String pattern) {
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("empty channel pattern");
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '*') {
                flush(literal, parts);
                parts.add(new Star());
                i++;
            } else if (c == '{') {
                if (!pattern.startsWith(IDENTITY, i)) {
                    throw new IllegalArgumentException("unknown placeholder at '" + pattern.substring(i)
                            + "' (the only placeholder is " + IDENTITY + ")");
                }
                flush(literal, parts);
                parts.add(new Placeholder());
                i += IDENTITY.length();
            } else if (c == '}') {
                throw new IllegalArgumentException("unmatched '}' in channel pattern '" + pattern + "'");
            } else {
                literal.append(c);
                i++;
            }
        }
        flush(literal, parts);
        return new ChannelPattern(pattern, parts);
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    /** Whether the pattern contains {@code {identity}} (and so never matches an anonymous connection). */
    public boolean usesIdentity() {
        return usesIdentity;
    }

    /**
     * @param channel the channel, any JSON value
     * @param identity the connection's identity as text (see {@link #identityText}), or empty
     */
    public boolean matches(JsonNode channel, Optional<String> identity) {
        if (matchesAll) {
            return true;
        }
        if (!channel.isTextual() || (usesIdentity && identity.isEmpty())) {
            return false;
        }
        List<String> segments = usesIdentity ? segments(parts, identity.orElseThrow()) : fixedSegments;
        return glob(segments, channel.textValue());
    }

    /** Between stars everything is literal (the identity included), so matching is a plain one-wildcard glob. */
    private static List<String> segments(List<Part> parts, String identity) {
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Literal literal -> segment.append(literal.text());
                case Placeholder placeholder -> segment.append(identity);
                case Star star -> {
                    segments.add(segment.toString());
                    segment.setLength(0);
                }
            }
        }
        segments.add(segment.toString());
        return segments;
    }

    /** {@code segments} are the literal runs between stars: the first anchors the start, the last the end. */
    private static boolean glob(List<String> segments, String text) {
        if (segments.size() == 1) {
            return text.equals(segments.get(0));
        }
        String first = segments.get(0);
        String last = segments.get(segments.size() - 1);
        if (text.length() < first.length() + last.length() || !text.startsWith(first) || !text.endsWith(last)) {
            return false;
        }
        int position = first.length();
        int end = text.length() - last.length();
        for (int i = 1; i < segments.size() - 1; i++) {
            String middle = segments.get(i);
            int found = text.indexOf(middle, position);
            if (found < 0 || found + middle.length() > end) {
                return false;
            }
            position = found + middle.length(); // leftmost match is always safe when only '*' is a wildcard
        }
        return true;
    }

    /**
     * The text {@code {identity}} stands for: a string identity as is, a whole-number identity in decimal; any other
     * identity (an object, a fraction...) has no text, so {@code {identity}} never matches it.
     */
    public static Optional<String> identityText(Optional<JsonNode> identity) {
        return identity.flatMap(node -> {
            if (node.isTextual()) {
                return Optional.of(node.textValue());
            }
            if (node.isIntegralNumber()) {
                return Optional.of(node.bigIntegerValue().toString());
            }
            return Optional.empty();
        });
    }

    @Override
    public String toString() {
        return source;
    }
}
