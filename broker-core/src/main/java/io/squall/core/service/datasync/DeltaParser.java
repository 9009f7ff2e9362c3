package io.squall.core.service.datasync;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.error.ErrorName;
import io.squall.core.rpc.RpcException;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code publishDeltas}' list with Snorky's checks, in Snorky's order, and its error names. */
final class DeltaParser {
    private DeltaParser() {}

    static List<Delta> parse(JsonNode deltas) {
        if (!deltas.isArray()) {
            throw new RpcException(ErrorName.INVALID_PARAMS);
        }
        List<Delta> parsed = new ArrayList<>(deltas.size());
        for (JsonNode delta : deltas) {
            parsed.add(parseOne(delta));
        }
        return parsed;
    }

    private static Delta parseOne(JsonNode delta) {
        if (!delta.isObject()) {
            throw new RpcException(ErrorName.INVALID_PARAMS);
        }
        JsonNode type = required(delta, "type");
        JsonNode model = required(delta, "model");
        if (!model.isTextual()) {
            throw new RpcException(ErrorName.MODEL_MUST_BE_STRING);
        }
        String name = model.textValue();
        return switch (type.isTextual() ? type.textValue() : "") {
            case "insert" -> new Delta.Insert(name, required(delta, "data"));
            case "delete" -> new Delta.Delete(name, required(delta, "data"));
            case "update" -> new Delta.Update(name, required(delta, "newData"), required(delta, "oldData"));
            default -> throw new RpcException(ErrorName.INVALID_DELTA_TYPE);
        };
    }

    private static JsonNode required(JsonNode delta, String field) {
        JsonNode value = delta.get(field);
        if (value == null) {
            throw new RpcException(ErrorName.MISSING_FIELD);
        }
        return value;
    }
}
