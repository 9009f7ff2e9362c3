package io.squall.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The heartbeat's JSON on the control channel. Nodes of different versions share the channel during a rolling
 * upgrade, so the reader is tolerant where Squall's mapper is otherwise strict: fields it does not know are
 * ignored (a newer node's), and fields added since the first version may be missing (an older node's: then the node
 * has no {@link ClusterNodes.Activity}). Only a beat without a node id, or with a field of the wrong type, is
 * refused: that is not a Squall heartbeat.
 *
 * <pre>{@code {"nodeId":"node-1","address":"10.0.0.5:8080","connections":12,"subscriptions":30,
 *  "loopQueue":0,"messagesInPerSecond":4.5,"messagesOutPerSecond":120.0}}</pre>
 */
final class HeartbeatJson {
    private HeartbeatJson() {}

    static String write(ObjectMapper mapper, ClusterNodes.Node node) {
        ObjectNode beat = mapper.createObjectNode()
                .put("nodeId", node.nodeId())
                .put("address", node.address())
                .put("connections", node.connections())
                .put("subscriptions", node.subscriptions());
        ClusterNodes.Activity activity = node.activity();
        if (activity != null) {
            beat.put("loopQueue", activity.loopQueue())
                    .put("messagesInPerSecond", activity.messagesInPerSecond())
                    .put("messagesOutPerSecond", activity.messagesOutPerSecond());
        }
        try {
            return mapper.writeValueAsString(beat);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    /** The node a beat describes; IllegalArgumentException when it is not a heartbeat. */
    static ClusterNodes.Node read(ObjectMapper mapper, String message) {
        JsonNode beat;
        try {
            beat = mapper.readTree(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (beat == null || !beat.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode id = beat.get("nodeId");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw new IllegalArgumentException("no nodeId");
        }
        JsonNode address = beat.get("address");
        if (address != null && !address.isTextual()) {
            throw new IllegalArgumentException("address is not a string");
        }
        ClusterNodes.Activity activity = null;
        if (beat.has("loopQueue") && beat.has("messagesInPerSecond") && beat.has("messagesOutPerSecond")) {
            activity = new ClusterNodes.Activity(count(beat, "loopQueue"), rate(beat, "messagesInPerSecond"),
                    rate(beat, "messagesOutPerSecond"));
        }
        return new ClusterNodes.Node(id.asText(), address == null ? "" : address.asText(), count(beat, "connections"),
                count(beat, "subscriptions"), activity);
    }

    private static long count(JsonNode beat, String field) {
        JsonNode value = beat.get(field);
        if (value == null) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new IllegalArgumentException(field + " is not a count");
        }
        return value.asLong();
    }

    private static double rate(JsonNode beat, String field) {
        JsonNode value = beat.get(field);
        if (!value.isNumber() || !Double.isFinite(value.asDouble()) || value.asDouble() < 0) {
            throw new IllegalArgumentException(field + " is not a rate");
        }
        return value.asDouble();
    }
}
