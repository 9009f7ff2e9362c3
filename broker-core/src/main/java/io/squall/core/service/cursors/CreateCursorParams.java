package io.squall.core.service.cursors;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code createCursor}: the caller's own handle for the cursor and its initial state, each any JSON. */
record CreateCursorParams(JsonNode privateHandle, JsonNode document, JsonNode position, JsonNode status) {}
