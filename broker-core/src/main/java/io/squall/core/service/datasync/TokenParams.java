package io.squall.core.service.datasync;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code acquireSubscription} and {@code cancelSubscription}: any JSON, so a non-string is "token must be string". */
record TokenParams(JsonNode token) {}
