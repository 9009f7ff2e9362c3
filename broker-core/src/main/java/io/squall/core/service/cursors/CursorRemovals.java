package io.squall.core.service.cursors;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.cluster.Claims;
import io.squall.core.cluster.ServiceBus;
import io.squall.api.JsonKey;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes this node's cursors from the engine (Redis engine): its state entry first, its handle's claim, then the
 * {@code remove} event; a removal the engine did not take is tried again at each refresh, so no other node keeps a
 * removed cursor forever.
 */
final class CursorRemovals {
    private static final Logger log = LoggerFactory.getLogger(CursorRemovals.class);

    private record Pending(JsonKey key, Cursor cursor) {}

    private final ServiceBus bus;
    private final Claims claims;
    private final JsonNodeFactory nodes;
    private final List<Pending> pending = new ArrayList<>();

    CursorRemovals(ServiceBus bus, Claims claims, JsonNodeFactory nodes) {
        this.bus = bus;
        this.claims = claims;
        this.nodes = nodes;
    }

    /** {@code done} once the engine took the removal or refused it (then it is tried again later). */
    void remove(JsonKey key, Cursor cursor, String node, Runnable done) {
        // the entry goes before the event: a node that subscribes after the event cannot read the cursor back
        bus.presence().remove(key, cursor.id, (ok, failure) -> {
            if (failure != null) {
                pending.add(new Pending(key, cursor));
                done.run();
                return;
            }
            ObjectNode owner = nodes.objectNode().put("node", node).put("id", cursor.id);
            claims.release(key, Integer.toString(cursor.publicHandle), owner, CursorRemovals::logFailure);
            ObjectNode event = nodes.objectNode().put("op", "remove").put("node", node).put("id", cursor.id)
                    .put("v", cursor.version);
            event.set("cursor", cursor.toRemovedJson(nodes));
            bus.publish(key, event, (published, publishFailure) -> {
                done.run();
                if (publishFailure != null) {
                    pending.add(new Pending(key, cursor));
                }
            });
        });
    }

    /** Tries the removals the engine did not take again. */
    void retry(String node) {
        List<Pending> again = List.copyOf(pending);
        pending.clear();
        again.forEach(removal -> remove(removal.key(), removal.cursor(), node, () -> { }));
    }

    boolean pending() {
        return !pending.isEmpty();
    }

    int size() {
        return pending.size();
    }

    static void logFailure(Object ignored, Throwable failure) {
        if (failure != null) {
            log.debug("cursors: the engine did not take a refresh or a release: {}", failure.toString());
        }
    }
}
