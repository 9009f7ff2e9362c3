package io.squall.core.json;

/**
 * Jackson read limits applied to every frame and backend body, so a hostile document cannot cost unbounded
 * stack, memory or CPU (Jackson's own defaults are far larger). They are set explicitly on the mapper's
 * {@code StreamReadConstraints}; a document's own length is bounded before it is parsed ({@code max.frame.bytes},
 * {@code backend.max.body.bytes}), and a number's exponent by the mapper's node factory (±999,999,999).
 *
 * @param maxNestingDepth deepest array/object nesting accepted (default 64)
 * @param maxStringLength longest string value in characters (default 1 MiB)
 * @param maxNumberLength longest number literal in characters (default 100)
 * @param maxNameLength longest object key in characters (default 1024)
 */
public record JsonLimits(int maxNestingDepth, int maxStringLength, int maxNumberLength, int maxNameLength) {
    public JsonLimits {
        positive("maxNestingDepth", maxNestingDepth);
        positive("maxStringLength", maxStringLength);
        positive("maxNumberLength", maxNumberLength);
        positive("maxNameLength", maxNameLength);
    }

    public static JsonLimits defaults() {
        return new JsonLimits(64, 1 << 20, 100, 1024);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
