package io.squall.core.service.datasync.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a FilterDealer query into a {@link Filter}, or explains why it is not one. Queries are checked when the
 * subscription is authorized, so a bad one is refused there (Snorky accepted it and failed later).
 */
public final class FilterParser {
    private FilterParser() {}

    /** @throws IllegalArgumentException naming what is wrong with {@code query} */
    public static Filter parse(JsonNode query) {
        if (query == null || !query.isArray() || query.isEmpty()) {
            throw new IllegalArgumentException("a filter is a non-empty JSON array, e.g. [\"==\", \"color\", \"blue\"]");
        }
        JsonNode head = query.get(0);
        if (!head.isTextual()) {
            throw new IllegalArgumentException("a filter starts with its operator as a string");
        }
        String op = head.textValue();
        return switch (op) {
            case "and" -> new Filter.And(operands(query));
            case "or" -> new Filter.Or(operands(query));
            case "not" -> {
                if (query.size() != 2) {
                    throw new IllegalArgumentException("\"not\" takes exactly one filter");
                }
                yield new Filter.Not(parse(query.get(1)));
            }
            default -> comparison(op, query);
        };
    }

    private static List<Filter> operands(JsonNode query) {
        List<Filter> operands = new ArrayList<>(query.size() - 1);
        for (int i = 1; i < query.size(); i++) {
            operands.add(parse(query.get(i)));
        }
        return operands;
    }

    private static Filter comparison(String symbol, JsonNode query) {
        Operator operator = Operator.bySymbol(symbol);
        if (operator == null) {
            throw new IllegalArgumentException("unknown filter operator '" + symbol
                    + "' (==, <, <=, >, >=, and, or, not)");
        }
        if (query.size() != 3) {
            throw new IllegalArgumentException("\"" + symbol + "\" takes a field name and a value");
        }
        JsonNode field = query.get(1);
        if (!field.isTextual()) {
            throw new IllegalArgumentException("a field name is a string such as \"player.color\"");
        }
        return new Filter.Comparison(operator, FieldPath.parse(field.textValue()), query.get(2));
    }
}
