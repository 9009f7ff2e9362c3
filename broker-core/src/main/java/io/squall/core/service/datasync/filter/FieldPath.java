package io.squall.core.service.datasync.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A dotted field path into a row, as Snorky's filters and key functions take it: {@code player.color} is
 * {@code row["player"]["color"]}. A missing key, or a step into something that is not an object, finds nothing.
 * (Snorky's version looked every segment up in the row itself, so dotted paths never worked.)
 */
public record FieldPath(List<String> segments) {
    public FieldPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a field path needs at least one name");
        }
    }

    /** Parses {@code a.b.c}; an empty path or an empty segment ({@code a..b}) is rejected. */
    public static FieldPath parse(String dotted) {
        List<String> segments = List.of(dotted.split("\\.", -1));
        if (segments.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("not a dotted field path: '" + dotted + "'");
        }
        return new FieldPath(segments);
    }

    /** The value at this path in {@code row}, or empty when it is not there. */
    public Optional<JsonNode> resolve(JsonNode row) {
        JsonNode current = row;
        for (String segment : segments) {
            if (current == null || !current.isObject()) {
                return Optional.empty();
            }
            current = current.get(segment);
        }
        return Optional.ofNullable(current);
    }

    @Override
    public String toString() {
        return String.join(".", segments);
    }
}
