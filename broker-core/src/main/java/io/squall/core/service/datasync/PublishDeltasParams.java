package io.squall.core.service.datasync;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code publishDeltas}: {@code deltas}, a list of {@link Delta}s in wire form. */
record PublishDeltasParams(JsonNode deltas) {}
