package io.squall.core.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.JsonKey;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Names with one owner each, shared by every node of the engine: unique Messaging names, Cursors handles, the SNAP
 * port's owner, DataSync's one-time tokens. A name lives in a space (a service's namespace) and expires {@code ttl}
 * after it was last claimed, unless claimed again (refreshed) by its owner, so what a dead node held frees itself.
 * An owner is any JSON, compared by its canonical text; by convention an object with a {@code "node"} field (e.g.
 * {@code {"node":"n1","conn":"n1/17"}}), which {@link #releaseNode} matches to free a dead node's names at once.
 * Called on the event loop; every callback comes back on it, with {@code BrokerUnavailableException} while the
 * engine cannot be reached.
 */
public interface Claims {

    /** Takes {@code name} for {@code owner}, or refreshes it when {@code owner} holds it; false: another holds it. */
    void claim(JsonKey space, String name, JsonNode owner, Duration ttl, BiConsumer<Boolean, Throwable> onLoop);

    /** Frees {@code name} if {@code owner} holds it; true if it did. */
    void release(JsonKey space, String name, JsonNode owner, BiConsumer<Boolean, Throwable> onLoop);

    /** Who holds {@code name}, or null. */
    void owner(JsonKey space, String name, BiConsumer<JsonNode, Throwable> onLoop);

    /** Every name held in {@code space}, with its owner. */
    void all(JsonKey space, BiConsumer<Map<String, JsonNode>, Throwable> onLoop);

    /** Sets {@code name} to {@code value} for {@code ttl}, whoever held it. */
    void put(JsonKey space, String name, JsonNode value, Duration ttl, BiConsumer<Void, Throwable> onLoop);

    /** Reads and frees {@code name} in one step (one-time tokens): its value, or null if nobody held it. */
    void take(JsonKey space, String name, BiConsumer<JsonNode, Throwable> onLoop);

    /** Frees every name of {@code space} whose owner's {@code "node"} field is {@code node}; how many it freed. */
    void releaseNode(JsonKey space, String node, BiConsumer<Integer, Throwable> onLoop);
}
