package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code subscribe} and {@code unsubscribe}: the channel is any JSON value. */
record SubscribeParams(JsonNode channel) {}
