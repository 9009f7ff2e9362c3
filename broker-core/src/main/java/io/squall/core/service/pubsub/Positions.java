package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.broker.StreamPosition;

/** Stream positions on the wire: {@code {"offset": N, "epoch": "E"}}. */
final class Positions {
    private Positions() {}

    /** Exactly {@code offset} (a whole number, 0 or more, within a long) and {@code epoch} (a string). */
    static StreamPosition bind(JsonNode position) {
        if (position == null || !position.isObject() || position.size() != 2) {
            throw new IllegalArgumentException("a position is {offset, epoch}");
        }
        JsonNode offset = position.get("offset");
        JsonNode epoch = position.get("epoch");
        if (offset == null || !offset.isIntegralNumber() || !offset.canConvertToLong() || offset.longValue() < 0
                || epoch == null || !epoch.isTextual()) {
            throw new IllegalArgumentException("offset must be a whole number >= 0 and epoch a string");
        }
        return new StreamPosition(offset.longValue(), epoch.textValue());
    }

    static ObjectNode write(ObjectNode into, StreamPosition position) {
        into.put("offset", position.offset());
        into.put("epoch", position.epoch());
        return into;
    }
}
