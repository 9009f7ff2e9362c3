package io.squall.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * JSON texts for tests that run a fast path and its general path on the same input: hand-picked awkward values
 * (huge and odd numbers, unicode, escapes, nulls, deep nesting) and seeded random ones, so a failure reproduces.
 */
public final class JsonCorpus {
    private static final String[] SCALARS = {
        "null", "true", "false", "0", "-0", "-0.0", "1", "-1", "1.0", "1.5", "1e0", "1E+2", "2.5e-3",
        "2147483648", "-9223372036854775809", "123456789012345678901234567890", "1e400", "-1e400",
        "1" + "0".repeat(99), "\"\"", "\"plain\"", "\"ünï cødé\"", "\"😀\"", "\"\\ud83d\\ude00\"",
        "\"tab\\tnew\\nline\\u0000nul\"", "\"quote \\\" back \\\\ slash \\/\"", "\"\\u2028\\u2029\"",
    };

    private JsonCorpus() {}

    /** Awkward values, each a complete JSON text. */
    public static List<String> values() {
        List<String> values = new ArrayList<>(List.of(SCALARS));
        values.add("[]");
        values.add("{}");
        values.add("[1,\"a\",null,[true,{}]]");
        values.add("{\"a\":{\"b\":[1,2,{\"c\":null}]},\"ü\":\"v\"}");
        return values;
    }

    /** A random JSON value at most {@code depth} containers deep. */
    public static String randomValue(Random random, int depth) {
        int kind = random.nextInt(depth <= 0 ? 2 : 4);
        switch (kind) {
            case 0:
                return SCALARS[random.nextInt(SCALARS.length)];
            case 1:
                return "\"" + randomText(random) + "\"";
            case 2: {
                StringBuilder array = new StringBuilder("[");
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.append(i > 0 ? "," : "").append(randomValue(random, depth - 1));
                }
                return array.append(']').toString();
            }
            default: {
                StringBuilder object = new StringBuilder("{");
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    object.append(i > 0 ? "," : "").append("\"k").append(i).append("\":")
                            .append(randomValue(random, depth - 1));
                }
                return object.append('}').toString();
            }
        }
    }

    /** A string body (no quotes) with ASCII, multibyte characters and escapes. */
    public static String randomText(Random random) {
        String[] pieces = {"a", "Z", " ", "é", "中", "😀", "\\n", "\\\"", "\\\\", "\\u00e9", "\\ud83d\\ude00"};
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(6);
        for (int i = 0; i < length; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    /** {@code text} damaged at a random place: cut short, a character dropped, or a stray one inserted. */
    public static String damage(Random random, String text) {
        if (text.isEmpty()) {
            return "{";
        }
        int at = random.nextInt(text.length());
        return switch (random.nextInt(3)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + text.substring(at + 1);
            default -> text.substring(0, at) + "\",}]:x".charAt(random.nextInt(6)) + text.substring(at);
        };
    }
}
