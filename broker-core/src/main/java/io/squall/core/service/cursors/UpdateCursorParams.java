package io.squall.core.service.cursors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code updateCursor}: {@code newData} is an object whose {@code position} and/or {@code status} replace the
 * cursor's; other keys are ignored, as in Snorky.
 */
record UpdateCursorParams(JsonNode privateHandle, JsonNode newData) {
    UpdateCursorParams {
        if (newData == null || !newData.isObject()) {
            throw new IllegalArgumentException("newData must be an object"); // "Invalid params"
        }
    }
}
