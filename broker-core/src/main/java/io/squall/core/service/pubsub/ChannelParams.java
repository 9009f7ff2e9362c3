package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code unsubscribe}, {@code presence} and {@code presence_stats}: exactly a channel, any JSON value. */
record ChannelParams(JsonNode channel) {}
