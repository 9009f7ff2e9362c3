package io.squall.core.service.datasync.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.json.CodePointOrder;
import io.squall.api.JsonKey;
import java.math.BigDecimal;

/** The comparison operators of Snorky's filters. Orderings hold between two numbers or two strings only. */
public enum Operator {
    EQ("=="),
    LT("<"),
    LTE("<="),
    GT(">"),
    GTE(">=");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public static Operator bySymbol(String symbol) {
        for (Operator operator : values()) {
            if (operator.symbol.equals(symbol)) {
                return operator;
            }
        }
        return null;
    }

    /** {@code found op value}; {@code valueKey} is {@code value} as a structural key, computed once per filter. */
    boolean test(JsonNode found, JsonNode value, JsonKey valueKey) {
        if (this == EQ) {
            // structural equality, numbers by value (1 == 1.0), as Python compares decoded JSON
            return JsonKey.of(found).equals(valueKey);
        }
        Integer order = compare(found, value);
        if (order == null) {
            return false; // unorderable kinds: Python 3 raises TypeError, Snorky answers "no match"
        }
        return switch (this) {
            case LT -> order < 0;
            case LTE -> order <= 0;
            case GT -> order > 0;
            case GTE -> order >= 0;
            case EQ -> order == 0;
        };
    }

    private static Integer compare(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return compareNumbers(a, b);
        }
        if (a.isTextual() && b.isTextual()) {
            return CodePointOrder.compare(a.textValue(), b.textValue());
        }
        return null;
    }

    private static int compareNumbers(JsonNode a, JsonNode b) {
        if (isNonFinite(a) || isNonFinite(b)) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        return exact(a).compareTo(exact(b));
    }

    private static boolean isNonFinite(JsonNode n) {
        return (n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue());
    }

    private static BigDecimal exact(JsonNode n) {
        if (n.isIntegralNumber()) {
            return new BigDecimal(n.bigIntegerValue());
        }
        if (n.isDouble() || n.isFloat()) {
            return new BigDecimal(n.doubleValue()); // the double's exact value, as Python compares int and float
        }
        return n.decimalValue();
    }
}
