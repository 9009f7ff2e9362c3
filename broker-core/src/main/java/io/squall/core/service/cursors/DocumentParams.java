package io.squall.core.service.cursors;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code join} and {@code leave}: the document is any JSON value. */
record DocumentParams(JsonNode document) {}
