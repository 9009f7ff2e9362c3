package io.squall.core.service.chat;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code send}: any JSON channel and any JSON body. */
record SendParams(JsonNode channel, JsonNode body) {}
