package io.squall.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Any JSON value used as a key (a channel, a query, a document), with structural equality. Numbers compare as
 * Python compares them, as Snorky did: {@code 1}, {@code 1.0} and {@code 1e0} are the same key. Object key order
 * does not matter.
 */
public final class JsonKey {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final JsonNode value;
    private final JsonNode canonical;
    private final int hash;
    private String canonicalText;

    private JsonKey(JsonNode value) {
        this.value = value;
        this.canonical = canonical(value);
        this.hash = canonical.hashCode();
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

    private static JsonNode canonicalNumber(JsonNode node) {
        BigInteger integral;
        if (node.isIntegralNumber()) {
            integral = node.bigIntegerValue();
        } else if (node.isDouble() || node.isFloat()) {
            double d = node.doubleValue();
            if (!Double.isFinite(d) || d != Math.rint(d)) {
                // 1e400 parses as Infinity, which BigDecimal cannot hold; fractions stay doubles
                return JsonNodeFactory.instance.numberNode(d);
            }
            // the double's exact value, as Python compares int and float (2^64 == 18446744073709551616.0)
            integral = new BigDecimal(d).toBigIntegerExact();
        } else {
            BigDecimal decimal = node.decimalValue().stripTrailingZeros();
            if (decimal.scale() > 0) {
                return JsonNodeFactory.instance.numberNode(node.doubleValue());
            }
            integral = decimal.toBigIntegerExact();
        }
        if (integral.compareTo(LONG_MIN) >= 0 && integral.compareTo(LONG_MAX) <= 0) {
            return JsonNodeFactory.instance.numberNode(integral.longValue());
        }
        return JsonNodeFactory.instance.numberNode(integral);
    }
}
