package io.squall.core.service.cursors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.api.JsonKey;

/** One cursor: its owner's private handle, the public handle others see, and its mutable position and status. */
final class Cursor {
    final JsonKey privateHandle;
    /** -1 while a clustered create is still claiming it */
    int publicHandle;
    final JsonKey document;
    final Client owner;
    final JsonNode ownerIdentity;
    JsonNode position;
    JsonNode status;
    /** bytes it counts in its owner's state budget: its private handle, position and status */
    int bytes;
    /** clustered only: unique across nodes and restarts, and bumped by every update (a late view keeps the newest) */
    String id;
    long version;
    /** clustered only: removed while its handle was being claimed */
    boolean gone;

    Cursor(JsonKey privateHandle, int publicHandle, JsonKey document, Client owner, JsonNode ownerIdentity,
            JsonNode position, JsonNode status) {
        this.privateHandle = privateHandle;
        this.publicHandle = publicHandle;
        this.document = document;
        this.owner = owner;
        this.ownerIdentity = ownerIdentity;
        this.position = position;
        this.status = status;
    }

    /** {@code {"publicHandle","document","position","status","owner"}}: what other clients see. */
    ObjectNode toJson(JsonNodeFactory nodes) {
        ObjectNode json = nodes.objectNode().put("publicHandle", publicHandle);
        json.set("document", document.value());
        json.set("position", position);
        json.set("status", status);
        json.set("owner", ownerIdentity);
        return json;
    }

    /** Clustered: {@code {"node","id","v","cursor"}}, its claim's value and its events' body. */
    ObjectNode toClusterJson(JsonNodeFactory nodes, String node) {
        ObjectNode json = nodes.objectNode().put("node", node).put("id", id).put("v", version);
        json.set("cursor", toJson(nodes));
        return json;
    }

    /** {@code {"publicHandle","document"}}: what {@code cursorRemoved} carries. */
    ObjectNode toRemovedJson(JsonNodeFactory nodes) {
        ObjectNode json = nodes.objectNode().put("publicHandle", publicHandle);
        json.set("document", document.value());
        return json;
    }
}
