package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code publish}: any JSON channel and any JSON message (null included). */
record PublishParams(JsonNode channel, JsonNode message) {}
