package io.squall.core.service.cursors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a document's changes, from every node (this one included) in the bus's one order, to this node's view,
 * and tells this node's members of the document, never a cursor's own connection.
 */
final class ViewChanges {
    private static final Logger log = LoggerFactory.getLogger(ViewChanges.class);

    private final CursorsService service;
    private final JsonNodeFactory nodes;
    private final String node;
    private final Map<String, Cursor> own;
    private final Map<String, Cursor> leaving;

    ViewChanges(CursorsService service, String node, Map<String, Cursor> own, Map<String, Cursor> leaving) {
        this.service = service;
        this.nodes = service.nodes;
        this.node = node;
        this.own = own;
        this.leaving = leaving;
    }

    void apply(DocView view, JsonNode event) {
        DocView.Held held = DocView.Held.of(event);
        if (held == null) {
            log.warn("cursors: malformed event on {} skipped: {}", view.document, event);
            return;
        }
        String op = event.path("op").asText();
        if (op.equals("set")) {
            set(view, held);
        } else if (op.equals("remove")) {
            DocView.Held current = view.byHandle.get(held.handle());
            if (current != null && current.id().equals(held.id())) {
                drop(view, current);
            }
        }
    }

    void set(DocView view, DocView.Held held) {
        DocView.Held current = view.byHandle.get(held.handle());
        if (current != null && current.id().equals(held.id())) {
            if (held.version() <= current.version()) {
                return; // already seen (a snapshot read after it, or a re-announce)
            }
            view.byHandle.put(held.handle(), held);
            service.notify(view.document, ownerOf(held), "cursorUpdated", held.cursor());
            return;
        }
        if (current != null) {
            drop(view, current); // its removal was published after the new owner's add: the handle was free
        }
        view.byHandle.put(held.handle(), held);
        service.notify(view.document, ownerOf(held), "cursorAdded", held.cursor());
    }

    void drop(DocView view, DocView.Held held) {
        view.byHandle.remove(held.handle());
        ObjectNode removed = nodes.objectNode().put("publicHandle", held.handle());
        removed.set("document", view.document.value());
        Client owner = ownerOf(held);
        leaving.remove(held.id());
        service.notify(view.document, owner, "cursorRemoved", removed);
    }

    private Client ownerOf(DocView.Held held) {
        if (!held.node().equals(node)) {
            return null;
        }
        Cursor cursor = own.get(held.id());
        if (cursor == null) {
            cursor = leaving.get(held.id());
        }
        return cursor != null ? cursor.owner : null;
    }
}
