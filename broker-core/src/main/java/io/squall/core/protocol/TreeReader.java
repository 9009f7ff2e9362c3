package io.squall.core.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Builds the tree of one value straight from the parser, as Jackson's node deserializer does with Squall's
 * mapper (same node types: int, long or big integer by size; a decimal for a fraction or exponent when the mapper
 * reads floats as {@code BigDecimal}, as Squall's does, else double, or float and decimal when the parser says so),
 * without a deserialization context per value: every frame's message is read this way. Limits and duplicate keys
 * are the parser's and the node factory's, so they hold as before. The codec's parity tests compare it with
 * {@code readTree}.
 */
final class TreeReader {
    private final JsonNodeFactory nodes;
    private final boolean exactFloats;

    TreeReader(DeserializationConfig config) {
        this.nodes = config.getNodeFactory();
        this.exactFloats = config.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    /** The value starting at the parser's current token; leaves the parser on the value's last token. */
    JsonNode read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            return scalar(parser, token);
        }
        ArrayDeque<JsonNode> open = new ArrayDeque<>();
        JsonNode root = token == JsonToken.START_OBJECT ? nodes.objectNode() : nodes.arrayNode();
        open.push(root);
        while (!open.isEmpty()) {
            JsonNode container = open.peek();
            String name = null;
            if (container instanceof ObjectNode) {
                token = parser.nextToken();
                if (token == JsonToken.END_OBJECT) {
                    open.pop();
                    continue;
                }
                name = parser.currentName();
            }
            token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                open.pop();
                continue;
            }
            JsonNode value;
            if (token == JsonToken.START_OBJECT) {
                value = nodes.objectNode();
            } else if (token == JsonToken.START_ARRAY) {
                value = nodes.arrayNode();
            } else {
                value = scalar(parser, token);
            }
            if (container instanceof ObjectNode object) {
                object.set(name, value);
            } else {
                ((ArrayNode) container).add(value);
            }
            if (value.isContainerNode()) {
                open.push(value);
            }
        }
        return root;
    }

    private JsonNode scalar(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case VALUE_STRING:
                return nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                return switch (parser.getNumberType()) {
                    case INT -> nodes.numberNode(parser.getIntValue());
                    case LONG -> nodes.numberNode(parser.getLongValue());
                    default -> nodes.numberNode(parser.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                if (exactFloats) {
                    return decimal(parser);
                }
                return switch (parser.getNumberTypeFP()) {
                    case BIG_DECIMAL -> nodes.numberNode(parser.getDecimalValue());
                    case FLOAT32 -> nodes.numberNode(parser.getFloatValue());
                    default -> nodes.numberNode(parser.getDoubleValue());
                };
            case VALUE_TRUE:
                return nodes.booleanNode(true);
            case VALUE_FALSE:
                return nodes.booleanNode(false);
            case VALUE_NULL:
                return nodes.nullNode();
            default:
                throw new IOException("unexpected token " + token); // END_* or an embedded object: not JSON text
        }
    }

    /** A number beyond what a decimal holds (an exponent past the limit) is a read limit, as a too long one. */
    private JsonNode decimal(JsonParser parser) throws IOException {
        try {
            return nodes.numberNode(parser.getDecimalValue());
        } catch (IllegalArgumentException e) {
            throw new IOException("number out of range: " + e.getMessage(), e);
        }
    }
}
