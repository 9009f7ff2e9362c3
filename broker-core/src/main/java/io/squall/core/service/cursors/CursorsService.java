package io.squall.core.service.cursors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.Identity;
import io.squall.core.ServiceContext;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.error.ErrorName;
import io.squall.api.TwoWayIndex;
import io.squall.api.JsonKey;
import io.squall.core.loop.EventLoop;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import io.squall.core.rpc.RpcService;
import io.squall.core.state.StateBudget;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Snorky's Cursors: authenticated clients join shared documents and place cursors in them; the other clients of
 * the document are told of every added, updated and removed cursor. Up to {@link #MAX_CURSORS_PER_CLIENT} cursors
 * per connection; public handles are unique within a document. Closing a connection leaves every document.
 *
 * <p>On the Redis engine a document spans nodes ({@link ClusteredCursors}); on the memory engine everything is
 * local and immediate, as it always was.
 */
public final class CursorsService extends RpcService {
    /** Snorky's limit, kept: cursors per connection, over all its documents. */
    public static final int MAX_CURSORS_PER_CLIENT = 16;

    /** the members of each document on this node */
    final TwoWayIndex<JsonKey, Client> members = new TwoWayIndex<>();
    private final Map<Client, Map<JsonKey, Cursor>> cursorsByClient = new HashMap<>();
    /** memory engine only: every cursor, by document (on Redis, {@link ClusteredCursors} views hold them) */
    private final Map<JsonKey, Map<Integer, Cursor>> cursorsByDocument = new HashMap<>();
    final PublicHandles handles;
    private final int maxDocumentsPerClient;
    final JsonNodeFactory nodes;
    /** null on the memory engine */
    private final ClusteredCursors cluster;

    /** One node (the memory engine). */
    public CursorsService(String name, ServiceContext context, int maxDocumentsPerClient, RandomGenerator random) {
        this(name, context, maxDocumentsPerClient, random, null, null);
    }

    /**
     * @param bus the engine's services' bus: documents span nodes when it is clustered
     * @param refreshEvery how often this node claims and stores its cursors again (they expire after three times it)
     */
    public CursorsService(String name, ServiceContext context, int maxDocumentsPerClient, RandomGenerator random,
            ServiceBus bus, Duration refreshEvery) {
        super(name, context);
        if (maxDocumentsPerClient < 1) {
            throw new IllegalArgumentException("maxDocumentsPerClient must be positive: " + maxDocumentsPerClient);
        }
        this.maxDocumentsPerClient = maxDocumentsPerClient;
        this.handles = new PublicHandles(random);
        this.nodes = context.codec().mapper().getNodeFactory();
        this.cluster = bus != null && bus.clustered() ? new ClusteredCursors(this, bus, refreshEvery) : null;
        commands()
                .addAsync("join", DocumentParams.class, this::join)
                .add("leave", DocumentParams.class, this::leave)
                .addAsync("createCursor", CreateCursorParams.class, this::createCursor)
                .addAsync("updateCursor", UpdateCursorParams.class, this::updateCursor)
                .add("removeCursor", HandleParams.class, this::removeCursor);
    }

    EventLoop loop() {
        return context.loop();
    }

    private void join(Request request, DocumentParams params) {
        Client client = request.client();
        Identity.require(client);
        JsonKey document = context.budget().key(params.document());
        if (members.contains(document, client)) {
            throw new RpcException(ErrorName.ALREADY_JOINED);
        }
        if (members.countKeysOf(client) >= maxDocumentsPerClient) {
            throw new RpcException(ErrorName.TOO_MANY_DOCUMENTS);
        }
        context.budget().hold(client, document.byteSize()); // released by leave, or the disconnect's leaves
        members.add(document, client);
        if (cluster != null) {
            cluster.joined(request, document);
            return;
        }
        ArrayNode cursors = nodes.arrayNode();
        cursorsByDocument.getOrDefault(document, Map.of()).values().forEach(cursor -> cursors.add(cursor.toJson(nodes)));
        ObjectNode reply = nodes.objectNode();
        reply.set("cursors", cursors);
        request.reply(reply);
    }

    private Object leave(Request request, DocumentParams params) {
        JsonKey document = context.budget().key(params.document());
        if (!members.contains(document, request.client())) {
            throw new RpcException(ErrorName.NOT_JOINED);
        }
        leave(request.client(), document);
        return null;
    }

    private void createCursor(Request request, CreateCursorParams params) {
        Client client = request.client();
        JsonKey document = context.budget().key(params.document());
        if (!members.contains(document, client) || cluster != null && !cluster.ready(document)) {
            throw new RpcException(ErrorName.NOT_JOINED);
        }
        JsonKey privateHandle = context.budget().key(params.privateHandle());
        Map<JsonKey, Cursor> own = cursorsByClient.getOrDefault(client, Map.of());
        if (own.containsKey(privateHandle)) {
            throw new RpcException(ErrorName.REUSED_HANDLE);
        }
        if (own.size() >= MAX_CURSORS_PER_CLIENT) {
            throw new RpcException(ErrorName.TOO_MANY_CURSORS);
        }
        Map<Integer, Cursor> inDocument = cursorsByDocument.getOrDefault(document, Map.of());
        int publicHandle = cluster != null ? -1 // claimed below
                : handles.pick(inDocument).orElseThrow(() -> new RpcException(ErrorName.TOO_MANY_CURSORS));
        JsonNode identity = Identity.require(client); // joined, so it has one
        int bytes = privateHandle.byteSize() + StateBudget.valueBytes(params.position())
                + StateBudget.valueBytes(params.status());
        context.budget().hold(client, bytes); // released by removeCursor, whatever removes it
        Cursor cursor = new Cursor(privateHandle, publicHandle, document, client, identity, params.position(),
                params.status());
        cursor.bytes = bytes;
        cursorsByClient.computeIfAbsent(client, c -> new LinkedHashMap<>()).put(privateHandle, cursor);
        if (cluster != null) {
            cluster.create(request, cursor, 0);
            return;
        }
        cursorsByDocument.computeIfAbsent(document, d -> new LinkedHashMap<>()).put(publicHandle, cursor);
        notifyOthers(cursor, "cursorAdded", cursor.toJson(nodes));
        request.reply(publicHandle);
    }

    private void updateCursor(Request request, UpdateCursorParams params) {
        Cursor cursor = ownCursor(request.client(), params.privateHandle());
        JsonNode position = params.newData().get("position");
        JsonNode status = params.newData().get("status");
        int bytes = cursor.privateHandle.byteSize()
                + StateBudget.valueBytes(position != null ? position : cursor.position)
                + StateBudget.valueBytes(status != null ? status : cursor.status);
        context.budget().hold(cursor.owner, bytes - cursor.bytes); // a larger cursor may not fit: then unchanged
        context.budget().release(cursor.owner, cursor.bytes - bytes);
        cursor.bytes = bytes;
        if (position != null) {
            cursor.position = position;
        }
        if (status != null) {
            cursor.status = status;
        }
        if (cluster != null) {
            cluster.updated(request, cursor);
            return;
        }
        notifyOthers(cursor, "cursorUpdated", cursor.toJson(nodes));
        request.reply(null);
    }

    private Object removeCursor(Request request, HandleParams params) {
        removeCursor(ownCursor(request.client(), params.privateHandle()));
        return null;
    }

    private Cursor ownCursor(Client client, JsonNode privateHandle) {
        Cursor cursor = cursorsByClient.getOrDefault(client, Map.of()).get(context.budget().key(privateHandle));
        if (cursor == null || cursor.publicHandle < 0) { // or its create is still claiming a handle
            throw new RpcException(ErrorName.NO_SUCH_CURSOR);
        }
        return cursor;
    }

    private void removeCursor(Cursor cursor) {
        if (cluster != null) {
            dropOwn(cursor);
            cluster.removed(cursor); // its members everywhere are told when the removal comes back
            return;
        }
        Map<Integer, Cursor> inDocument = cursorsByDocument.get(cursor.document);
        inDocument.remove(cursor.publicHandle);
        if (inDocument.isEmpty()) {
            cursorsByDocument.remove(cursor.document);
        }
        Map<JsonKey, Cursor> own = cursorsByClient.get(cursor.owner);
        own.remove(cursor.privateHandle);
        context.budget().release(cursor.owner, cursor.bytes);
        if (own.isEmpty()) {
            cursorsByClient.remove(cursor.owner);
        }
        notifyOthers(cursor, "cursorRemoved", cursor.toRemovedJson(nodes));
    }

    private void leave(Client client, JsonKey document) {
        List<Cursor> inDocument = cursorsByClient.getOrDefault(client, Map.of()).values().stream()
                .filter(cursor -> cursor.document.equals(document)).toList();
        inDocument.forEach(this::removeCursor);
        undoJoin(client, document);
        if (cluster != null) {
            cluster.left(client, document);
        }
    }

    void undoJoin(Client client, JsonKey document) {
        members.remove(document, client);
        context.budget().release(client, document.byteSize());
    }

    /** Takes a cursor out of its owner's map and gives its bytes back. */
    void dropOwn(Cursor cursor) {
        Map<JsonKey, Cursor> own = cursorsByClient.get(cursor.owner);
        if (own == null || own.get(cursor.privateHandle) != cursor) {
            return;
        }
        own.remove(cursor.privateHandle);
        context.budget().release(cursor.owner, cursor.bytes);
        if (own.isEmpty()) {
            cursorsByClient.remove(cursor.owner);
        }
    }

    /** The cluster lost the cursor's handle (Redis restarted empty and it was taken): its owner is told too. */
    void lost(Cursor cursor) {
        removeCursor(cursor);
        ObjectNode message = nodes.objectNode().put("type", "cursorRemoved");
        message.set("cursor", cursor.toRemovedJson(nodes));
        send(cursor.owner, context.codec().encode(name(), message));
    }

    @Override
    public void onDisconnect(Client client) {
        for (JsonKey document : List.copyOf(members.keysOf(client))) {
            leave(client, document);
        }
    }

    /** {@code {"type":type,"cursor":cursor}} to every client of the cursor's document but its owner. */
    private void notifyOthers(Cursor cursor, String type, ObjectNode json) {
        notify(cursor.document, cursor.owner, type, json);
    }

    /** {@code {"type":type,"cursor":cursor}} to every client of the document on this node but {@code except}. */
    void notify(JsonKey document, Client except, String type, JsonNode cursor) {
        var recipients = members.valuesOf(document);
        if (recipients.isEmpty() || recipients.size() == 1 && recipients.contains(except)) {
            return; // only the owner
        }
        ObjectNode message = nodes.objectNode().put("type", type);
        message.set("cursor", cursor);
        var frame = context.codec().encode(name(), message);
        for (Client recipient : recipients) {
            if (recipient != except) {
                send(recipient, frame);
            }
        }
    }

    /** How many entries each internal map holds: all zero once every client has gone (the leak check). */
    public Map<String, Integer> stateSizes() {
        Map<String, Integer> sizes = new HashMap<>(Map.of("documents", members.keyCount(),
                "clients", members.valueCount(), "cursorOwners", cursorsByClient.size(),
                "documentsWithCursors", cursorsByDocument.size()));
        if (cluster != null) {
            sizes.putAll(cluster.stateSizes());
        }
        return sizes;
    }
}
