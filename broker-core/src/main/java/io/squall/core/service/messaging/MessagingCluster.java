package io.squall.core.service.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.cluster.Claims;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.error.ErrorName;
import io.squall.core.json.JsonKey;
import io.squall.core.loop.OnDemandTimer;
import io.squall.core.rpc.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messaging's names across nodes. Each name is a claim in the engine ({@link Claims}, space
 * {@code ["messaging", <service>]}) whose owner is {@code {"node","conn","since"}}: the node holding it, the
 * connection there, and when it registered. This node refreshes its claims every third of their TTL, so a dead
 * node's names expire even if no survivor frees them; survivors free them at once when the node is reported down.
 *
 * <p>A {@code send} to a name another node holds goes to that node's topic and is answered when that node says it
 * delivered it (or that the name is no longer there: {@code Unknown destination}); if the node dies first, the send
 * is answered {@code Unknown destination} too. After Redis lost its claims, every node claims its names again; a
 * name two connections registered meanwhile goes to the earlier registration (then the lower node id), and the
 * other connection is told {@code participantLost}.
 */
final class MessagingCluster {
    private static final Logger log = LoggerFactory.getLogger(MessagingCluster.class);
    /** how often pending sends are checked against the live nodes */
    private static final Duration SWEEP = Duration.ofSeconds(1);
    /** a send no node answered for this long (longer than a dead node takes to be found) is answered Unavailable */
    private static final Duration SEND_DEADLINE = Duration.ofSeconds(15);

    /** What this node's Messaging does for the cluster side. */
    interface Local {
        /** The connection holding {@code name} on this node, or null. */
        Client holder(String name);

        /** Delivers to the local holder of {@code dest}. */
        void deliver(String sender, String dest, JsonNode body);

        /** {@code name} went to another connection: drop it here and tell its holder. */
        void lost(String name);
    }

    private record PendingSend(Request request, String node, long sentNanos) {}

    private final String service;
    private final ServiceContext context;
    private final ServiceBus bus;
    private final Claims claims;
    private final Duration ttl;
    private final Local local;
    private final JsonKey space;
    private final JsonKey nodeTopic;
    private final Consumer<JsonNode> onNodeEvent = this::onNodeEvent;
    /** loop-owned: the owner of each name this node holds, as claimed */
    private final Map<String, JsonNode> owners = new HashMap<>();
    private final Map<Client, Long> connections = new IdentityHashMap<>();
    private final Map<Long, PendingSend> sends = new HashMap<>();
    private final OnDemandTimer refresh;
    private final OnDemandTimer sweep;
    private boolean listening;
    private long nextConnection;
    private long nextSend;

    MessagingCluster(String service, ServiceContext context, ServiceBus bus, Duration ttl, Local local) {
        if (ttl.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("the claim TTL must be at least 3s: " + ttl);
        }
        this.service = service;
        this.context = context;
        this.bus = bus;
        this.claims = bus.claims();
        this.ttl = ttl;
        this.local = local;
        this.space = JsonKey.of(context.codec().mapper().createArrayNode().add("messaging").add(service));
        this.nodeTopic = ServiceBus.nodeTopic(bus.nodeId());
        this.refresh = new OnDemandTimer(context.loop(), ttl.dividedBy(3), this::refreshAll);
        this.sweep = new OnDemandTimer(context.loop(), SWEEP, this::sweepSends);
        bus.onNodeDown(this::nodeDown);
        bus.onResync(this::resync);
        listen();
    }

    /** Claims {@code name} for {@code client}; true once it is this node's, false if another holds it. */
    void claim(Client client, String name, BiConsumer<Boolean, Throwable> onLoop) {
        long connection = connections.computeIfAbsent(client, c -> ++nextConnection);
        ObjectNode owner = context.codec().mapper().createObjectNode()
                .put("node", bus.nodeId())
                .put("conn", connection)
                .put("since", context.clock().millis());
        claims.claim(space, name, owner, ttl, (taken, failure) -> {
            if (failure == null && taken) {
                owners.put(name, owner);
                refresh.ensureRunning();
            }
            onLoop.accept(taken, failure);
        });
    }

    /** Frees this node's claim on {@code name}; {@code then} once the engine answered (either way). */
    void release(String name, Runnable then) {
        JsonNode owner = owners.remove(name);
        if (owner == null) {
            then.run();
            return;
        }
        claims.release(space, name, owner, (released, failure) -> {
            if (failure != null) {
                log.debug("{}: releasing '{}' failed; its claim expires in {}", service, name, ttl, failure);
            }
            then.run();
        });
    }

    void forgetClient(Client client) {
        connections.remove(client);
    }

    /** Whether a connection (of another node, or being claimed here) holds {@code name}. */
    void heldElsewhere(String name, BiConsumer<Boolean, Throwable> onLoop) {
        claims.owner(space, name, (owner, failure) -> onLoop.accept(failure == null && owner != null, failure));
    }

    /** Every name held on any node. */
    void names(BiConsumer<List<String>, Throwable> onLoop) {
        claims.all(space, (all, failure) -> onLoop.accept(failure == null ? List.copyOf(all.keySet()) : null, failure));
    }

    /** Sends to a name this node does not hold: to the node that does, answered when that node answers. */
    void send(Request request, SendParams params) {
        String dest = params.dest();
        claims.owner(space, dest, (owner, failure) -> {
            if (failure != null) {
                request.error(ErrorName.UNAVAILABLE);
                return;
            }
            String node = owner == null ? null : owner.path("node").asText(null);
            if (local.holder(dest) != null) { // registered here while the engine answered
                local.deliver(params.sender(), dest, params.body());
                request.reply(null);
                return;
            }
            if (node == null || node.equals(bus.nodeId())) {
                request.error(ErrorName.UNKNOWN_DESTINATION); // free, or a claim of ours already let go
                return;
            }
            long id = ++nextSend;
            sends.put(id, new PendingSend(request, node, context.loop().nanoTime()));
            sweep.ensureRunning();
            ObjectNode event = event("deliver")
                    .put("id", id)
                    .put("from", bus.nodeId())
                    .put("sender", params.sender())
                    .put("dest", dest);
            event.set("owner", owner);
            event.set("body", params.body());
            bus.publish(ServiceBus.nodeTopic(node), event, (ok, publishFailure) -> {
                if (publishFailure != null) {
                    answer(id, ErrorName.UNAVAILABLE);
                }
            });
        });
    }

    private void onNodeEvent(JsonNode event) {
        if (!service.equals(event.path("service").asText())) {
            return; // another service's directed message
        }
        switch (event.path("kind").asText()) {
            case "deliver" -> delivered(event);
            case "ack" -> answer(event.path("id").asLong(),
                    event.path("ok").asBoolean() ? null : ErrorName.UNKNOWN_DESTINATION);
            case "lost" -> {
                String name = event.path("name").asText();
                if (same(event.path("owner"), owners.get(name))) {
                    owners.remove(name);
                    local.lost(name);
                }
            }
            default -> log.warn("{}: unknown directed event {}", service, event);
        }
    }

    /** Another node's send to a name it found held here: delivered if it still is, and answered. */
    private void delivered(JsonNode event) {
        String dest = event.path("dest").asText();
        boolean held = local.holder(dest) != null && same(event.path("owner"), owners.get(dest));
        if (held) {
            local.deliver(event.path("sender").asText(), dest, event.get("body"));
        }
        ObjectNode ack = event("ack").put("id", event.path("id").asLong()).put("ok", held);
        bus.publish(ServiceBus.nodeTopic(event.path("from").asText()), ack, (ok, failure) -> {
            if (failure != null) {
                log.debug("{}: the answer to {} was lost (it times out there)", service, event.path("from"), failure);
            }
        });
    }

    /** Resolves a pending send: null is delivered. */
    private void answer(long id, ErrorName error) {
        PendingSend pending = sends.remove(id);
        if (pending == null) {
            return; // already answered (the node was found down, or the deadline passed)
        }
        if (error == null) {
            pending.request().reply(null);
        } else {
            pending.request().error(error);
        }
    }

    private boolean sweepSends() {
        long now = context.loop().nanoTime();
        var live = bus.liveNodes();
        for (var entry : List.copyOf(sends.entrySet())) {
            PendingSend pending = entry.getValue();
            long age = now - pending.sentNanos();
            if (age >= SWEEP.toNanos() && !live.contains(pending.node())) {
                answer(entry.getKey(), ErrorName.UNKNOWN_DESTINATION); // its holder's node is gone
            } else if (age >= SEND_DEADLINE.toNanos()) {
                answer(entry.getKey(), ErrorName.UNAVAILABLE);
            }
        }
        return !sends.isEmpty();
    }

    private void nodeDown(String node) {
        for (var entry : List.copyOf(sends.entrySet())) {
            if (entry.getValue().node().equals(node)) {
                answer(entry.getKey(), ErrorName.UNKNOWN_DESTINATION);
            }
        }
        // every survivor does it; freeing twice is harmless
        claims.releaseNode(space, node, (freed, failure) -> {
            if (failure != null) {
                log.warn("{}: freeing the names of dead node {} failed; they expire within {}", service, node, ttl);
            } else if (freed > 0) {
                log.info("{}: freed {} name(s) of dead node {}", service, freed, node);
            }
        });
    }

    private void resync() {
        listen();
        refreshAll();
    }

    /** Claims every name this node holds again; returns whether there is anything left to refresh. */
    private boolean refreshAll() {
        for (var entry : List.copyOf(owners.entrySet())) {
            String name = entry.getKey();
            JsonNode mine = entry.getValue();
            claims.claim(space, name, mine, ttl, (kept, failure) -> {
                if (failure == null && !kept && mine == owners.get(name)) {
                    contest(name, mine);
                }
            });
        }
        return !owners.isEmpty();
    }

    /**
     * Another connection claimed a name this node still holds (Redis lost the claims meanwhile): the earlier
     * registration keeps it, the same on every node; the other is told.
     */
    private void contest(String name, JsonNode mine) {
        claims.owner(space, name, (other, failure) -> {
            if (failure != null || mine != owners.get(name)) {
                return; // the next refresh tries again, or the name went meanwhile
            }
            if (other == null || same(other, mine)) {
                claims.claim(space, name, mine, ttl, (ok, again) -> {});
            } else if (earlier(mine, other)) {
                claims.put(space, name, mine, ttl, (ok, putFailure) -> {
                    if (putFailure == null) {
                        ObjectNode lost = event("lost").put("name", name);
                        lost.set("owner", other);
                        bus.publish(ServiceBus.nodeTopic(other.path("node").asText()), lost, (sent, ignored) -> {});
                    }
                });
            } else {
                owners.remove(name);
                local.lost(name);
            }
        });
    }

    /** Owners compare by their canonical JSON, as the engine compares them (1 and 1L are one number). */
    private static boolean same(JsonNode a, JsonNode b) {
        return a != null && b != null && !a.isMissingNode() && JsonKey.of(a).equals(JsonKey.of(b));
    }

    /** The order of registrations: time, then node id, then connection. */
    static boolean earlier(JsonNode a, JsonNode b) {
        int bySince = Long.compare(a.path("since").asLong(), b.path("since").asLong());
        if (bySince != 0) {
            return bySince < 0;
        }
        int byNode = a.path("node").asText().compareTo(b.path("node").asText());
        if (byNode != 0) {
            return byNode < 0;
        }
        return a.path("conn").asLong() < b.path("conn").asLong();
    }

    /** Subscribes to this node's topic (again, after a failure: the engine may not be reachable at start). */
    private void listen() {
        if (listening) {
            return;
        }
        listening = true;
        bus.subscribe(nodeTopic, onNodeEvent, (ok, failure) -> {
            if (failure != null) {
                listening = false;
                context.loop().schedule(Duration.ofSeconds(1), this::listen);
            }
        });
    }

    private ObjectNode event(String kind) {
        return context.codec().mapper().createObjectNode().put("service", service).put("kind", kind);
    }

    /** Names this node holds (for tests and metrics). */
    int held() {
        return owners.size();
    }

    List<String> heldNames() {
        return new ArrayList<>(owners.keySet());
    }
}
