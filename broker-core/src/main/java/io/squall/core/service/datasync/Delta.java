package io.squall.core.service.datasync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** A change to one row of a model, in Snorky's wire form ({@code insert}, {@code update}, {@code delete}). */
public sealed interface Delta permits Delta.Insert, Delta.Update, Delta.Delete {

    String model();

    /** The wire form, as it goes inside {@code {"type":"delta","delta":...}}. */
    ObjectNode toJson(JsonNodeFactory nodes);

    /** {@code {"type":type,"model":model,"data":data}}: the form of an insert and of a delete. */
    private static ObjectNode rowJson(JsonNodeFactory nodes, String type, String model, JsonNode data) {
        ObjectNode json = nodes.objectNode().put("type", type).put("model", model);
        json.set("data", data);
        return json;
    }

    /** {@code {"type":"insert","model","data"}}. */
    record Insert(String model, JsonNode data) implements Delta {
        public Insert {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(data, "data");
        }

        @Override
        public ObjectNode toJson(JsonNodeFactory nodes) {
            return Delta.rowJson(nodes, "insert", model, data);
        }
    }

    /** {@code {"type":"update","model","newData","oldData"}}; {@code oldData} must hold the fields filters use. */
    record Update(String model, JsonNode newData, JsonNode oldData) implements Delta {
        public Update {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(newData, "newData");
            Objects.requireNonNull(oldData, "oldData");
        }

        @Override
        public ObjectNode toJson(JsonNodeFactory nodes) {
            ObjectNode json = nodes.objectNode().put("type", "update").put("model", model);
            json.set("newData", newData);
            json.set("oldData", oldData);
            return json;
        }
    }

    /** {@code {"type":"delete","model","data"}}. */
    record Delete(String model, JsonNode data) implements Delta {
        public Delete {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(data, "data");
        }

        @Override
        public ObjectNode toJson(JsonNodeFactory nodes) {
            return Delta.rowJson(nodes, "delete", model, data);
        }
    }
}
