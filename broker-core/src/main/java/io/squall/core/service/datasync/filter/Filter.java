package io.squall.core.service.datasync.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.JsonKey;
import java.util.List;
import java.util.Objects;

/**
 * A parsed FilterDealer query, Snorky's prefix notation: {@code ["==", "color", "blue"]},
 * {@code ["and", f1, f2, ...]}, {@code ["or", ...]}, {@code ["not", f]}. Parse once with {@link FilterParser}, then
 * match many rows.
 */
public sealed interface Filter permits Filter.Comparison, Filter.And, Filter.Or, Filter.Not {

    boolean matches(JsonNode row);

    /**
     * {@code [op, field, value]}. A missing field, or values of different kinds (a string against a number), never
     * match: Snorky's strict typing ({@code 1} is not {@code "1"}).
     */
    record Comparison(Operator operator, FieldPath field, JsonNode value, JsonKey valueKey) implements Filter {
        public Comparison(Operator operator, FieldPath field, JsonNode value) {
            this(operator, field, value, JsonKey.of(value));
        }

        public Comparison {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean matches(JsonNode row) {
            return field.resolve(row).map(found -> operator.test(found, value, valueKey)).orElse(false);
        }
    }

    /** True when every operand is; {@code ["and"]} alone is true, as Python's {@code all([])}. */
    record And(List<Filter> operands) implements Filter {
        public And {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean matches(JsonNode row) {
            for (Filter operand : operands) {
                if (!operand.matches(row)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** True when any operand is; {@code ["or"]} alone is false, as Python's {@code any([])}. */
    record Or(List<Filter> operands) implements Filter {
        public Or {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean matches(JsonNode row) {
            for (Filter operand : operands) {
                if (operand.matches(row)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Negation: a comparison that fails for a missing field or a type mismatch makes {@code not} true. */
    record Not(Filter operand) implements Filter {
        public Not {
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public boolean matches(JsonNode row) {
            return !operand.matches(row);
        }
    }
}
