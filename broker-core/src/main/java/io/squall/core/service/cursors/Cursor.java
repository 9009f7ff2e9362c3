package io.squall.core.service.cursors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.json.JsonKey;

/** One cursor: its owner's private handle, the public handle others see, and its mutable position and status. */
final class Cursor {
    final JsonKey privateHandle;
    final int publicHandle;
    final JsonKey document;
    final Client owner;
    final JsonNode ownerIdentity;
    JsonNode position;
    JsonNode status;
    /** bytes it counts in its owner's state budget: its private handle, position and status */
    int bytes;

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

    /** {@code {"publicHandle","document"}}: what {@code cursorRemoved} carries. */
    ObjectNode toRemovedJson(JsonNodeFactory nodes) {
        ObjectNode json = nodes.objectNode().put("publicHandle", publicHandle);
        json.set("document", document.value());
        return json;
    }
}
