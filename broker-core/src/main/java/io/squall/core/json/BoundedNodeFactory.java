package io.squall.core.json;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.math.BigDecimal;

/**
 * Jackson's node factory with one more read limit: a decimal's exponent (its scale) must stay within
 * {@value #MAX_SCALE} either way. Within it, everything Squall does with a number (compare, hash, strip zeros,
 * print) costs no more than its at most 100 digits; beyond it, stripping zeros could overflow the scale. The
 * refusal is an {@link IllegalArgumentException}, as Jackson's own {@link NumberFormatException} for an exponent
 * beyond {@code int}: both readers turn it into "Invalid JSON".
 *
 * <p>A decimal of scale 0 ({@code 1e0}, {@code 15e0}) gets scale 1: it came from a float literal and is written
 * {@code 1.0}, as a double was, not {@code 1}, which a Python client would read back as an int.
 */
final class BoundedNodeFactory extends JsonNodeFactory {
    /** 1e999999999 is accepted (and stays distinct from 2e999999999); 1e1000000001 is not. */
    static final int MAX_SCALE = 999_999_999;

    private static final long serialVersionUID = 1L;

    BoundedNodeFactory() {
        super(true);
    }

    @Override
    public ValueNode numberNode(BigDecimal value) {
        if (value != null && Math.abs((long) value.scale()) > MAX_SCALE) {
            throw new NumberFormatException("number exponent beyond " + MAX_SCALE);
        }
        return super.numberNode(value != null && value.scale() == 0 ? value.setScale(1) : value);
    }
}
