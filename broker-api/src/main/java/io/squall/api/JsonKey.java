package io.squall.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Any JSON value used as a key (a channel, a query, a document), with structural equality. Numbers compare by their
 * exact decimal value, as Snorky compared them in Python, minus a double's rounding: {@code 1}, {@code 1.0} and
 * {@code 1e0} are the same key, {@code 1e400} and {@code 2e400} are two, {@code 1e-400} is not {@code 0}. Object
 * key order does not matter. Building, comparing and hashing a key cost no more than its text's length, whatever
 * the exponents in it ({@code 1e999999999} is as cheap as {@code 1}).
 */
public final class JsonKey {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /**
     * Integral values up to this many digits are canonical integers (so every key a double could hold keeps the
     * name it had when numbers were read as doubles: no finite double has more than 309 integer digits); larger
     * ones stay decimals ({@code 1E+400}), never expanded.
     */
    private static final int MAX_INTEGER_DIGITS = 400;

    private final JsonNode value;
    private final JsonNode canonical;
    private final int hash;
    private String canonicalText;
    private int byteSize = -1;

    private JsonKey(JsonNode value) {
        this.value = value;
        this.canonical = canonical(value);
        this.hash = hash(canonical);
    }

    public static JsonKey of(JsonNode value) {
        return new JsonKey(Objects.requireNonNull(value, "value"));
    }

    public static JsonKey of(String text) {
        return new JsonKey(JsonNodeFactory.instance.textNode(text));
    }

    /** The value as the client sent it (echoed back in notifications). */
    public JsonNode value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonKey key && hash == key.hash && canonical.equals(key.canonical);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /**
     * The canonical form as JSON text: equal keys give equal text (object keys sorted, numbers normalized), so it
     * can name the channel outside this process (Redis keys and channels); parsed back, it is an equal key.
     */
    public String canonicalText() {
        String text = canonicalText;
        if (text == null) {
            text = canonical.toString();
            canonicalText = text;
        }
        return text;
    }

    /**
     * The key's size as the state limits count it: a string's UTF-8 bytes, any other value's canonical JSON text's.
     * Equal keys have equal sizes.
     */
    public int byteSize() {
        int size = byteSize;
        if (size < 0) {
            size = utf8Length(value.isTextual() ? value.textValue() : canonicalText());
            byteSize = size;
        }
        return size;
    }

    @Override
    public String toString() {
        return value.toString();
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isTextual() || node.isBoolean() || node.isNull()) {
            return node;
        }
        if (node.isNumber()) {
            return canonicalNumber(node);
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
            for (JsonNode element : node) {
                copy.add(canonical(element));
            }
            return copy;
        }
        if (node.isObject()) {
            // sorted, so that canonicalText() is the same whatever order the keys came in
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(field -> sorted.put(field.getKey(), field.getValue()));
            sorted.forEach((key, value) -> copy.set(key, canonical(value)));
            return copy;
        }
        return node;
    }

    /**
     * A long when the value is an integer that fits, a big integer up to {@link #MAX_INTEGER_DIGITS} digits, else
     * the decimal without trailing zeros (one form per value, so equals and the text follow the value). A double
     * stands for its exact value, as Python compares int and float.
     */
    private static JsonNode canonicalNumber(JsonNode node) {
        if (node.isInt() || node.isLong()) {
            return JsonNodeFactory.instance.numberNode(node.longValue());
        }
        BigDecimal decimal;
        if (node.isIntegralNumber()) {
            decimal = new BigDecimal(node.bigIntegerValue());
        } else if (node.isDouble() || node.isFloat()) {
            double d = node.doubleValue();
            if (!Double.isFinite(d)) {
                return JsonNodeFactory.instance.numberNode(d); // only built in code: JSON text has no Infinity
            }
            decimal = new BigDecimal(d);
        } else {
            decimal = node.decimalValue();
        }
        if (decimal.signum() == 0) {
            return JsonNodeFactory.instance.numberNode(0L);
        }
        BigDecimal stripped;
        try {
            stripped = decimal.stripTrailingZeros();
        } catch (ArithmeticException e) {
            stripped = decimal; // a scale at int's edge, built in code (the reader bounds it): kept as it is
        }
        if (stripped.scale() <= 0 && stripped.precision() - (long) stripped.scale() <= MAX_INTEGER_DIGITS) {
            BigInteger integral = stripped.toBigIntegerExact();
            if (integral.compareTo(LONG_MIN) >= 0 && integral.compareTo(LONG_MAX) <= 0) {
                return JsonNodeFactory.instance.numberNode(integral.longValue());
            }
            return JsonNodeFactory.instance.numberNode(integral);
        }
        return DecimalNode.valueOf(stripped);
    }

    /**
     * The hash of a canonical tree. Jackson hashes a decimal node by its double, so every number beyond double's
     * range would share one hash (a flood of colliding channels); this hashes the decimal itself.
     */
    private static int hash(JsonNode node) {
        if (node instanceof DecimalNode) {
            return node.decimalValue().hashCode();
        }
        if (node.isArray()) {
            int h = 1;
            for (JsonNode element : node) {
                h = 31 * h + hash(element);
            }
            return h;
        }
        if (node.isObject()) {
            int h = 7;
            for (var field : node.properties()) {
                h = 31 * h + (field.getKey().hashCode() ^ hash(field.getValue()));
            }
            return h;
        }
        return node.hashCode();
    }

    /** UTF-8 bytes of {@code text}, counted without encoding it; a lone surrogate counts as its replacement's 3. */
    private static int utf8Length(String text) {
        int length = text.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < length
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    bytes += 2; // the pair: 2 chars, 4 bytes
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }
}
