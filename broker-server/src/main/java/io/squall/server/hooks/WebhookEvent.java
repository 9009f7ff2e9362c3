package io.squall.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.json.Json;

/**
 * One lifecycle event as the wire contract names it (docs/hooks-webhooks.md); fields that do not apply are null.
 * Made on the loop, written to JSON on the sender's thread.
 *
 * @param id unique and the same on every attempt: the node id, {@code -}, and the node's event sequence
 * @param enqueuedNanos when it was queued, for the delivery latency
 * @param entry its id in the engine's partition of occupancy changes, or null for an event of this node's own
 */
record WebhookEvent(String id, WebhookRules.Event type, long time, String node, String service, JsonNode channel,
        String client, JsonNode identity, int code, String reason, long seq, long enqueuedNanos, String entry) {

    ObjectNode toJson() {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("id", id).put("type", type.wireName()).put("time", time).put("node", node);
        if (service != null) {
            json.put("service", service).set("channel", channel);
        }
        if (client != null) {
            json.put("client", client).set("identity", identity);
        }
        if (type == WebhookRules.Event.DISCONNECTED) {
            json.put("code", code).put("reason", reason);
        }
        if (type == WebhookRules.Event.OCCUPIED || type == WebhookRules.Event.VACATED) {
            json.put("seq", seq);
        }
        return json;
    }
}
