package io.squall.snap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.api.ServiceError;
import io.squall.api.ServiceException;
import io.squall.snap.codec.SnapByteList;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.SnapString;
import io.squall.snap.codec.SnapValues;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SNAP values to and from JSON. A byte string is a JSON string when every byte is printable ASCII (0x20-0x7E),
 * else {@code {"hex":"00669b"}}; a byte list is {@code {"bytes":[125,0,255]}}; None, bools and ints are themselves.
 * Host RPC arguments take the same shapes (a string's UTF-8 bytes are sent).
 */
final class SnapJson {
    private final ObjectMapper mapper;

    SnapJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    static String kind(SnapMessage.Kind kind) {
        return switch (kind) {
            case UNICAST -> "unicast";
            case MULTICAST -> "multicast";
            case DATA_MODE -> "data";
        };
    }

    /** The publication for a node RPC. */
    ObjectNode publication(SnapMessage message, Instant time) {
        ObjectNode node = mapper.createObjectNode();
        node.put("kind", kind(message.kind()));
        node.put("src", SnapValues.address(message.src()));
        if (message.isMulticast()) {
            node.put("group", message.dst());
        } else {
            node.put("dst", SnapValues.address(message.dst()));
        }
        node.put("ttl", message.ttl());
        node.put("seq", message.seq());
        node.put("function", message.function());
        ArrayNode args = node.putArray("args");
        for (Object arg : message.args()) {
            args.add(toJson(arg));
        }
        node.put("time", time.toString());
        return node;
    }

    JsonNode toJson(Object arg) {
        if (arg == null) {
            return mapper.nullNode();
        }
        if (arg instanceof Boolean b) {
            return mapper.getNodeFactory().booleanNode(b);
        }
        if (arg instanceof Integer i) {
            return mapper.getNodeFactory().numberNode(i);
        }
        if (arg instanceof SnapString s) {
            byte[] bytes = s.bytes();
            if (printable(bytes)) {
                return mapper.getNodeFactory().textNode(new String(bytes, StandardCharsets.US_ASCII));
            }
            return mapper.createObjectNode().put("hex", SnapValues.hex(bytes));
        }
        SnapByteList list = (SnapByteList) arg;
        ObjectNode node = mapper.createObjectNode();
        ArrayNode bytes = node.putArray("bytes");
        for (byte b : list.bytes()) {
            bytes.add(b & 0xFF);
        }
        return node;
    }

    private static boolean printable(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /**
     * Host RPC arguments from JSON, checked against SNAP's rules.
     *
     * @throws ServiceException naming the broken rule
     */
    static List<Object> fromJson(JsonNode args) {
        if (args == null || args.isNull()) {
            return List.of();
        }
        if (!args.isArray()) {
            throw new ServiceException(ServiceError.UNSUPPORTED_TYPE);
        }
        List<Object> values = new ArrayList<>(args.size());
        for (JsonNode arg : args) {
            values.add(fromJsonValue(arg));
        }
        return values;
    }

    private static Object fromJsonValue(JsonNode arg) {
        if (arg.isNull()) {
            return null;
        }
        if (arg.isBoolean()) {
            return arg.booleanValue();
        }
        if (arg.isIntegralNumber()) {
            if (!arg.canConvertToInt() || arg.intValue() < SnapValues.MIN_INT || arg.intValue() > SnapValues.MAX_INT) {
                throw new ServiceException(ServiceError.INT_OUT_OF_RANGE);
            }
            return arg.intValue();
        }
        if (arg.isTextual()) {
            return string(arg.textValue().getBytes(StandardCharsets.UTF_8));
        }
        if (arg.isObject() && arg.size() == 1 && arg.path("hex").isTextual()) {
            try {
                return string(SnapValues.parseHex(arg.path("hex").textValue()));
            } catch (IllegalArgumentException e) {
                throw new ServiceException(ServiceError.UNSUPPORTED_TYPE);
            }
        }
        if (arg.isObject() && arg.size() == 1 && arg.path("bytes").isArray()) {
            return byteList(arg.path("bytes"));
        }
        throw new ServiceException(ServiceError.UNSUPPORTED_TYPE);
    }

    private static SnapString string(byte[] bytes) {
        if (bytes.length > SnapValues.MAX_BYTES) {
            throw new ServiceException(ServiceError.STRING_TOO_LONG);
        }
        return new SnapString(bytes);
    }

    private static SnapByteList byteList(JsonNode items) {
        if (items.size() > SnapValues.MAX_BYTES) {
            throw new ServiceException(ServiceError.STRING_TOO_LONG);
        }
        byte[] bytes = new byte[items.size()];
        for (int i = 0; i < bytes.length; i++) {
            JsonNode item = items.get(i);
            if (!item.isIntegralNumber() || item.intValue() < 0 || item.intValue() > 255) {
                throw new ServiceException(ServiceError.UNSUPPORTED_TYPE);
            }
            bytes[i] = (byte) item.intValue();
        }
        return new SnapByteList(bytes);
    }
}
