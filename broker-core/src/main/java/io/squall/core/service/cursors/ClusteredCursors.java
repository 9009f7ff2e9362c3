package io.squall.core.service.cursors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.broker.Epochs;
import io.squall.core.broker.PresenceInfo;
import io.squall.core.cluster.Claims;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.error.ErrorName;
import io.squall.api.JsonKey;
import io.squall.core.loop.OnDemandTimer;
import io.squall.core.rpc.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cursors on the Redis engine: a document's cursors span nodes. Each node keeps a view of the documents it has
 * members of ({@link DocView}); every change is published on the document's topic and applied when it comes back,
 * so every node tells its members of the same changes in the same order. Public handles are claims (one owner each,
 * cluster-wide); each cursor's state is a presence entry of the document, which a node joining late reads after
 * subscribing. Both expire unless this node refreshes them, and a dead node's are dropped by the survivors.
 */
final class ClusteredCursors {
    private static final Logger log = LoggerFactory.getLogger(ClusteredCursors.class);
    private static final int CLAIM_TRIES = 8;
    private static final Duration RESYNC_READ_DELAY = Duration.ofSeconds(1);

    private final CursorsService service;
    private final ServiceBus bus;
    private final Claims claims;
    private final JsonNodeFactory nodes;
    private final Duration refreshEvery;
    private final Duration ttl;
    private final String node;
    /** cursor ids never repeat, even when a node restarts under the same id */
    private final String idPrefix;
    private long nextId;
    private final Map<JsonKey, DocView> views = new HashMap<>();
    /** this node's cursors once their handle is claimed, by id */
    private final Map<String, Cursor> own = new HashMap<>();
    /** this node's cursors removed but whose removal has not come back yet: their owners are still not told */
    private final Map<String, Cursor> leaving = new HashMap<>();
    private final OnDemandTimer refresh;
    private final CursorRemovals removals;
    private final CursorQueues queues = new CursorQueues();
    private final ViewChanges changes;

    ClusteredCursors(CursorsService service, ServiceBus bus, Duration refreshEvery) {
        this.service = service;
        this.bus = bus;
        this.claims = bus.claims();
        this.nodes = service.nodes;
        this.refreshEvery = refreshEvery;
        this.ttl = refreshEvery.multipliedBy(3);
        this.node = bus.nodeId();
        this.idPrefix = node + "/" + Epochs.next() + "/";
        this.refresh = new OnDemandTimer(service.loop(), refreshEvery, this::refreshAll);
        this.removals = new CursorRemovals(bus, this.claims, nodes);
        this.changes = new ViewChanges(service, node, own, leaving);
        bus.onNodeDown(this::nodeDown);
        bus.onResync(this::resync);
    }

    // ---- join and leave

    /** The client was made a member: reply the document's cursors once this node's view of it is read. */
    void joined(Request request, JsonKey document) {
        DocView view = views.get(document);
        if (view != null && view.ready()) {
            request.reply(cursorsReply(view));
            return;
        }
        if (view == null) {
            view = new DocView(document, keyOf(document));
            views.put(document, view);
            view.waiting.add(request); // before loading: a failure may be answered at once
            load(view);
        } else {
            view.waiting.add(request);
        }
    }

    /** The client left (its cursors already removed): forget the view once nobody here is a member. */
    void left(Client client, JsonKey document) {
        DocView view = views.get(document);
        if (view == null) {
            return;
        }
        view.waiting.removeIf(request -> {
            if (request.client() == client && !request.isResolved()) {
                request.error(ErrorName.NOT_JOINED); // left before the join completed
            }
            return request.client() == client;
        });
        if (service.members.valuesOf(document).isEmpty()) {
            views.remove(document);
            leaving.values().removeIf(cursor -> cursor.document.equals(document));
            bus.unsubscribe(view.key, view.handler);
        }
    }

    /** Whether a member may create cursors in the document: its view is read. */
    boolean ready(JsonKey document) {
        DocView view = views.get(document);
        return view != null && view.ready();
    }

    private void load(DocView view) {
        view.handler = event -> {
            if (view.buffered != null) {
                view.buffered.add(event);
            } else {
                changes.apply(view, event);
            }
        };
        // subscribe first, then read: what changes meanwhile arrives as events, applied after the snapshot
        bus.subscribe(view.key, view.handler, (ok, failure) -> {
            if (views.get(view.document) != view) {
                return; // everyone left meanwhile
            }
            if (failure != null) {
                failLoad(view, failure);
                return;
            }
            bus.presence().presence(view.key, (entries, readFailure) -> {
                if (views.get(view.document) != view) {
                    return;
                }
                if (readFailure != null) {
                    failLoad(view, readFailure);
                    return;
                }
                Set<String> live = bus.liveNodes();
                for (PresenceInfo entry : entries.values()) {
                    DocView.Held held = DocView.Held.of(entry.identity());
                    if (held != null && live.contains(held.node())) {
                        view.byHandle.put(held.handle(), held);
                    }
                }
                List<JsonNode> buffered = view.buffered;
                view.buffered = null;
                buffered.forEach(event -> changes.apply(view, event));
                for (Request request : view.waiting) {
                    if (!request.isResolved()) {
                        request.reply(cursorsReply(view));
                    }
                }
                view.waiting.clear();
            });
        });
    }

    private void failLoad(DocView view, Throwable failure) {
        log.warn("cursors: document {} could not be read from the engine: {}", view.document, failure.toString());
        views.remove(view.document);
        bus.unsubscribe(view.key, view.handler);
        for (Request request : view.waiting) {
            if (!request.isResolved()) {
                service.undoJoin(request.client(), view.document);
                request.error(ErrorName.UNAVAILABLE);
            }
        }
    }

    private ObjectNode cursorsReply(DocView view) {
        ArrayNode cursors = nodes.arrayNode();
        view.byHandle.values().forEach(held -> cursors.add(held.cursor()));
        ObjectNode reply = nodes.objectNode();
        reply.set("cursors", cursors);
        return reply;
    }

    // ---- this node's cursors

    /** A new cursor (in its owner's map, its bytes held): claim a handle, store it, announce it, reply its handle. */
    void create(Request request, Cursor cursor, int tries) {
        DocView view = views.get(cursor.document);
        if (view == null) { // cannot happen while its owner is a member; never a hung call though
            service.dropOwn(cursor);
            request.error(ErrorName.NOT_JOINED);
            return;
        }
        var handle = service.handles.pick(view.byHandle);
        if (handle.isEmpty() || tries >= CLAIM_TRIES) {
            service.dropOwn(cursor);
            request.error(ErrorName.TOO_MANY_CURSORS);
            return;
        }
        cursor.publicHandle = handle.getAsInt();
        cursor.id = idPrefix + (++nextId);
        cursor.version = 1;
        String name = Integer.toString(cursor.publicHandle);
        claims.claim(view.key, name, owner(cursor), ttl, (ok, failure) -> {
            if (cursor.gone) {
                if (Boolean.TRUE.equals(ok)) { // its client left or went while the claim was on its way
                    claims.release(view.key, name, owner(cursor), CursorRemovals::logFailure);
                }
                return;
            }
            if (failure != null) {
                service.dropOwn(cursor);
                request.error(ErrorName.UNAVAILABLE);
            } else if (!ok) {
                create(request, cursor, tries + 1); // taken on another node since this view saw it free
            } else {
                own.put(cursor.id, cursor);
                refresh.ensureRunning();
                announce(cursor, request, cursor.publicHandle, true);
            }
        });
    }

    /** The cursor's state changed (or it is new): store it, then publish it; reply once the engine took both. */
    void announce(Cursor cursor, Request request, Object reply, boolean creating) {
        JsonKey key = keyOf(cursor.document);
        ObjectNode state = cursor.toClusterJson(nodes, node);
        queues.run(cursor, done -> bus.presence().add(key, new PresenceInfo(cursor.id, state), (ok, failure) -> {
            if (failure != null) {
                done.run();
                fail(request, failure, creating ? cursor : null);
                return;
            }
            // stored before published: a node that subscribes after this event reads this state or a later one
            bus.publish(key, state.deepCopy().put("op", "set"), (published, publishFailure) -> {
                done.run();
                if (publishFailure != null) {
                    fail(request, publishFailure, creating ? cursor : null);
                } else if (request != null && !request.isResolved()) {
                    request.reply(reply);
                }
            });
        }));
    }

    /** A change the engine did not take; a new cursor is withdrawn, a changed one kept for the next resync. */
    private void fail(Request request, Throwable failure, Cursor creating) {
        log.debug("cursors: the engine did not take a change", failure);
        if (creating != null && !creating.gone) {
            service.dropOwn(creating);
            removed(creating);
        }
        if (request != null && !request.isResolved()) {
            request.error(ErrorName.UNAVAILABLE); // kept here; the other nodes get it at the next resync
        }
    }

    void updated(Request request, Cursor cursor) {
        cursor.version++;
        announce(cursor, request, null, false);
    }

    /** The cursor left its owner's map (its bytes given back): free its handle and tell the other nodes. */
    void removed(Cursor cursor) {
        cursor.gone = true;
        if (own.remove(cursor.id) != null) {
            if (views.containsKey(cursor.document)) {
                leaving.put(cursor.id, cursor);
            }
            queues.run(cursor, done -> removals.remove(keyOf(cursor.document), cursor, node, done));
        }
    }

    private JsonKey keyOf(JsonKey document) {
        return JsonKey.of(nodes.arrayNode().add(service.name()).add(document.value()));
    }

    private ObjectNode owner(Cursor cursor) {
        return nodes.objectNode().put("node", node).put("id", cursor.id);
    }

    /** Claims and stores each cursor of this node again; returns whether there are any. */
    private boolean refreshAll() {
        for (Cursor cursor : List.copyOf(own.values())) {
            reclaim(cursor, false);
        }
        removals.retry(node);
        return !own.isEmpty() || removals.pending();
    }

    private void reclaim(Cursor cursor, boolean announce) {
        JsonKey key = keyOf(cursor.document);
        claims.claim(key, Integer.toString(cursor.publicHandle), owner(cursor), ttl, (ok, failure) -> {
            if (failure != null || cursor.gone) {
                return; // the engine is away: the next refresh or the resync claims it again
            }
            if (!ok) {
                // its claim expired (Redis restarted empty) and a cursor of another node took the handle first
                log.info("cursors: cursor {} lost its handle {} in {}", cursor.id, cursor.publicHandle, cursor.document);
                service.lost(cursor);
                return;
            }
            if (announce) {
                announce(cursor, null, null, false);
            } else if (!queues.busy(cursor)) { // else what is on its way stores a newer state anyway
                bus.presence().add(key, new PresenceInfo(cursor.id, cursor.toClusterJson(nodes, node)),
                        CursorRemovals::logFailure);
            }
        });
    }

    // ---- faults

    /** A dead node's cursors leave every document this node views, in the same way on every surviving node. */
    private void nodeDown(String dead) {
        for (DocView view : List.copyOf(views.values())) {
            List<DocView.Held> gone = view.byHandle.values().stream().filter(h -> h.node().equals(dead)).toList();
            gone.forEach(held -> changes.drop(view, held));
            if (!gone.isEmpty()) {
                claims.releaseNode(view.key, dead, CursorRemovals::logFailure);
                gone.forEach(held -> bus.presence().remove(view.key, held.id(), CursorRemovals::logFailure));
            }
        }
    }

    /** This node may have missed events, or Redis lost its entries: claim and announce again, then re-read. */
    private void resync() {
        for (Cursor cursor : List.copyOf(own.values())) {
            reclaim(cursor, true);
        }
        // read once the other nodes, told at about the same time, have stored theirs again: a cursor read missing
        // too early would be removed and added back
        service.loop().schedule(RESYNC_READ_DELAY, () -> {
            for (DocView view : List.copyOf(views.values())) {
                if (view.ready()) {
                    reread(view);
                }
            }
        });
    }

    /**
     * Reconciles a view with the document's snapshot: what is new or newer is set; what is missing is removed only
     * when it is still missing a refresh period later (its node, still alive, would have stored it again by then; a
     * node slow to re-announce after a Redis restart must not see its cursors removed and added back).
     */
    private void reread(DocView view) {
        bus.presence().presence(view.key, (entries, failure) -> {
            if (views.get(view.document) != view) {
                return; // closed meanwhile
            }
            if (failure != null) { // a restarted Redis may refuse the first calls: no other resync would come
                service.loop().schedule(RESYNC_READ_DELAY, () -> reread(view));
                return;
            }
            Set<String> live = bus.liveNodes();
            Set<String> present = new HashSet<>();
            List<DocView.Held> snapshot = new ArrayList<>();
            for (PresenceInfo entry : entries.values()) {
                DocView.Held held = DocView.Held.of(entry.identity());
                if (held != null && live.contains(held.node())) {
                    present.add(held.id());
                    snapshot.add(held);
                }
            }
            Set<String> missing = new HashSet<>();
            for (DocView.Held held : List.copyOf(view.byHandle.values())) {
                boolean ours = held.node().equals(node) && own.containsKey(held.id());
                if (!ours && !present.contains(held.id())) {
                    if (view.suspects.contains(held.id())) {
                        changes.drop(view, held);
                    } else {
                        missing.add(held.id());
                    }
                }
            }
            view.suspects = missing;
            snapshot.forEach(held -> changes.set(view, held));
            if (!missing.isEmpty()) {
                service.loop().schedule(refreshEvery.plus(RESYNC_READ_DELAY), () -> reread(view));
            }
        });
    }

    /** Views and cursors held: all zero once every client has gone (the leak check). */
    Map<String, Integer> stateSizes() {
        return Map.of("views", views.size(), "ownCursors", own.size(), "leavingCursors", leaving.size(), "busyCursors", queues.size(),
                "pendingRemovals", removals.size());
    }
}
