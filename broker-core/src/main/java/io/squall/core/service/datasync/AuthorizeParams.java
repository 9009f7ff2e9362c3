package io.squall.core.service.datasync;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code authorizeSubscription}: {@code items}, a list of {@code {"dealer": name, "query": any}}. */
record AuthorizeParams(JsonNode items) {}
