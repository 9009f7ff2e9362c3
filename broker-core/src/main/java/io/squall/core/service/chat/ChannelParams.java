package io.squall.core.service.chat;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code join}, {@code leave}, {@code read}: the channel is any JSON value. */
record ChannelParams(JsonNode channel) {}
