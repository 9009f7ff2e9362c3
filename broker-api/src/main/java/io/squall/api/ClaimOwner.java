package io.squall.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Who holds a claim: the node, and the tag the service gave it there ({@link Cluster#claim(String, JsonNode,
 * java.time.Duration, java.util.function.BiConsumer)}), or null for an untagged claim. Tags come back through the
 * engine as parsed JSON: compare their numbers by value ({@code asLong()}), not with {@code equals} (a long written
 * may be read back as an int).
 */
public record ClaimOwner(String node, JsonNode tag) {}
