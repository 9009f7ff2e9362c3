package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The backend's {@code publish}: Snorky's channel and message, and optionally Squall's {@code idempotencyKey} (a
 * non-empty string of at most 256 characters): a retry with the same key within the idempotency window answers
 * the first result and publishes nothing.
 */
record BackendPublishParams(JsonNode channel, JsonNode message, String idempotencyKey) {
    static final int MAX_KEY_LENGTH = 256;

    /** Bound by hand, as {@link PublishParams}: this is the backend's hottest command. */
    static BackendPublishParams bind(JsonNode params) {
        JsonNode channel = params.get("channel");
        JsonNode message = params.get("message");
        JsonNode key = params.get("idempotencyKey");
        int expected = key == null ? 2 : 3;
        if (channel == null || message == null || params.size() != expected) {
            throw new IllegalArgumentException("publish takes channel, message and optionally idempotencyKey");
        }
        if (key != null && (!key.isTextual() || key.textValue().isEmpty()
                || key.textValue().length() > MAX_KEY_LENGTH)) {
            throw new IllegalArgumentException("idempotencyKey must be a string of 1 to 256 characters");
        }
        return new BackendPublishParams(channel, message, key == null ? null : key.textValue());
    }
}
