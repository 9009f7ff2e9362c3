package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code publish}: any JSON channel and any JSON message (null included). */
record PublishParams(JsonNode channel, JsonNode message) {

    /**
     * Binds {@code params} (an object) by hand, for the hottest command of the backend: exactly the two keys, any
     * value, as Jackson's binding to this record does (extra or missing key: "Invalid params"; JSON null is a value).
     */
    static PublishParams bind(JsonNode params) {
        JsonNode channel = params.get("channel");
        JsonNode message = params.get("message");
        if (channel == null || message == null || params.size() != 2) {
            throw new IllegalArgumentException("publish takes exactly channel and message");
        }
        return new PublishParams(channel, message);
    }
}
