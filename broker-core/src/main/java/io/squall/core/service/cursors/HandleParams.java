package io.squall.core.service.cursors;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code removeCursor}: the caller's own handle for the cursor. */
record HandleParams(JsonNode privateHandle) {}
