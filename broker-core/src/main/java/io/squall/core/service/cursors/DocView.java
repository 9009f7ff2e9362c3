package io.squall.core.service.cursors;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.JsonKey;
import io.squall.core.rpc.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What one node knows of a document's cursors on every node (Redis engine), kept while the document has members on
 * this node: built from the document's snapshot, then kept by its events, which every node applies in one order.
 */
final class DocView {
    /** One cursor of the document, on any node, as its events carry it. */
    record Held(String node, String id, long version, JsonNode cursor) {
        /** From {@code {"node","id","v","cursor":{"publicHandle",...}}}; null when malformed (skipped, not fatal). */
        static Held of(JsonNode json) {
            if (json == null || !json.path("node").isTextual() || !json.path("id").isTextual()
                    || !json.path("v").canConvertToLong() || !json.path("cursor").path("publicHandle").isInt()) {
                return null;
            }
            return new Held(json.get("node").asText(), json.get("id").asText(), json.get("v").asLong(),
                    json.get("cursor"));
        }

        int handle() {
            return cursor.get("publicHandle").intValue();
        }
    }

    final JsonKey document;
    /** the document's topic, its snapshot's presence channel and its handles' claim space: [service, document] */
    final JsonKey key;
    final Map<Integer, Held> byHandle = new LinkedHashMap<>();
    /** joins answered once the snapshot is read */
    final List<Request> waiting = new ArrayList<>();
    /** events received before the snapshot was read; null once it was */
    List<JsonNode> buffered = new ArrayList<>();
    Consumer<JsonNode> handler;
    /** cursor ids a re-read after a resync found missing: removed if the next re-read misses them too */
    Set<String> suspects = Set.of();

    DocView(JsonKey document, JsonKey key) {
        this.document = document;
        this.key = key;
    }

    boolean ready() {
        return buffered == null;
    }
}
