package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.broker.StreamPosition;

/**
 * {@code subscribe} and {@code unsubscribe}: the channel is any JSON value. Squall's positioned subscribe adds
 * {@code "recoverable": true} (the reply carries the channel's position, every publication its offset) or
 * {@code "since": {"offset": N, "epoch": "E"}} (the same, after recovering what was published since that position).
 *
 * @param since the position to recover from, or null
 * @param positioned whether the subscription tracks positions ({@code recoverable} or {@code since})
 */
record SubscribeParams(JsonNode channel, StreamPosition since, boolean positioned) {

    /** Snorky's plain form, {@code {"channel": C}} only (what {@code unsubscribe} takes). */
    static SubscribeParams bindPlain(JsonNode params) {
        JsonNode channel = params.get("channel");
        if (channel == null || params.size() != 1) {
            throw new IllegalArgumentException("takes exactly channel");
        }
        return new SubscribeParams(channel, null, false);
    }

    /** {@code channel}, and at most one of {@code recoverable: true} and {@code since}; nothing else. */
    static SubscribeParams bind(JsonNode params) {
        JsonNode channel = params.get("channel");
        if (channel == null) {
            throw new IllegalArgumentException("channel is missing");
        }
        if (params.size() == 1) {
            return new SubscribeParams(channel, null, false);
        }
        JsonNode recoverable = params.get("recoverable");
        JsonNode since = params.get("since");
        if (params.size() != 2) {
            throw new IllegalArgumentException("recoverable and since exclude each other");
        }
        if (recoverable != null) {
            if (!recoverable.isBoolean()) {
                throw new IllegalArgumentException("recoverable must be a boolean");
            }
            return new SubscribeParams(channel, null, recoverable.booleanValue());
        }
        if (since == null) {
            throw new IllegalArgumentException("unknown key");
        }
        return new SubscribeParams(channel, Positions.bind(since), true);
    }
}
