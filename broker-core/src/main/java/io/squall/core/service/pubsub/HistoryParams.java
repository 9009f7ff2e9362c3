package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.broker.StreamPosition;

/**
 * {@code history}: a channel and, optionally, {@code since} (a position: only what came after it, in that epoch),
 * {@code limit} (at most this many; 0 asks for the position only) and {@code reverse} (newest first).
 *
 * @param limit the limit asked for, or -1 when none was given
 */
record HistoryParams(JsonNode channel, StreamPosition since, int limit, boolean reverse) {

    static HistoryParams bind(JsonNode params) {
        JsonNode channel = params.get("channel");
        if (channel == null) {
            throw new IllegalArgumentException("channel is missing");
        }
        int known = 1;
        StreamPosition since = null;
        if (params.has("since")) {
            since = Positions.bind(params.get("since"));
            known++;
        }
        int limit = -1;
        if (params.has("limit")) {
            JsonNode value = params.get("limit");
            if (!value.isInt() || value.intValue() < 0) {
                throw new IllegalArgumentException("limit must be a whole number >= 0");
            }
            limit = value.intValue();
            known++;
        }
        boolean reverse = false;
        if (params.has("reverse")) {
            JsonNode value = params.get("reverse");
            if (!value.isBoolean()) {
                throw new IllegalArgumentException("reverse must be a boolean");
            }
            reverse = value.booleanValue();
            known++;
        }
        if (params.size() != known) {
            throw new IllegalArgumentException("unknown key");
        }
        if (since != null && reverse) {
            throw new IllegalArgumentException("since and reverse exclude each other");
        }
        return new HistoryParams(channel, since, limit, reverse);
    }
}
