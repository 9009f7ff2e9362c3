package io.squall.services.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.api.Call;
import io.squall.api.Caller;
import io.squall.api.ClaimOwner;
import io.squall.api.Cluster;
import io.squall.api.Loop;
import io.squall.api.ServiceError;
import io.squall.services.support.OnDemandTimer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messaging's names across nodes. Each name is a {@link Cluster} claim tagged {@code {"conn","since"}}: the
 * connection on the claiming node, and when it registered. This node refreshes its claims every third of their TTL,
 * so a dead node's names expire even if no survivor frees them; survivors free them at once when the node is
 * reported down.
 *
 * <p>A {@code send} to a name another node holds goes to that node and is answered when that node says it delivered
 * it (or that the name is no longer there: {@code Unknown destination}); if the node dies first, the send is answered
 * {@code Unknown destination} too. After the engine lost its claims, every node claims its names again; a name two
 * connections registered meanwhile goes to the earlier registration (then the lower node id), and the other
 * connection is told {@code participantLost}.
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
        Caller holder(String name);

        /** Delivers to the local holder of {@code dest}. */
        void deliver(String sender, String dest, JsonNode body);

        /** {@code name} went to another connection: drop it here and tell its holder. */
        void lost(String name);
    }

    private record PendingSend(Call call, String node, long sentNanos) {}

    private final String service;
    private final Cluster cluster;
    private final Loop loop;
    private final ObjectMapper json;
    private final Duration ttl;
    private final Local local;
    /** loop-owned: the tag of each name this node holds, as claimed */
    private final Map<String, JsonNode> owners = new HashMap<>();
    private final Map<Caller, Long> connections = new HashMap<>();
    private final Map<Long, PendingSend> sends = new HashMap<>();
    private final OnDemandTimer refresh;
    private final OnDemandTimer sweep;
    private boolean listening;
    private long nextConnection;
    private long nextSend;

    MessagingCluster(String service, Cluster cluster, Loop loop, ObjectMapper json, Duration ttl, Local local) {
        if (ttl.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("the claim TTL must be at least 3s: " + ttl);
        }
        this.service = service;
        this.cluster = cluster;
        this.loop = loop;
        this.json = json;
        this.ttl = ttl;
        this.local = local;
        this.refresh = new OnDemandTimer(loop, ttl.dividedBy(3), this::refreshAll);
        this.sweep = new OnDemandTimer(loop, SWEEP, this::sweepSends);
        cluster.onNodeDown(this::nodeDown);
        cluster.onResync(this::resync);
        listen();
    }

    /** Claims {@code name} for {@code client}; true once it is this node's, false if another holds it. */
    void claim(Caller client, String name, BiConsumer<Boolean, ServiceError> onLoop) {
        long connection = connections.computeIfAbsent(client, c -> ++nextConnection);
        ObjectNode tag = json.createObjectNode()
                .put("conn", connection)
                .put("since", loop.now().toEpochMilli());
        cluster.claim(name, tag, ttl, (taken, failure) -> {
            if (failure == null && taken) {
                owners.put(name, tag);
                refresh.ensureRunning();
            }
            onLoop.accept(taken, failure);
        });
    }

    /** Frees this node's claim on {@code name}; {@code then} once the engine answered (either way). */
    void release(String name, Runnable then) {
        JsonNode tag = owners.remove(name);
        if (tag == null) {
            then.run();
            return;
        }
        cluster.release(name, tag, (released, failure) -> {
            if (failure != null) {
                log.debug("{}: releasing '{}' failed ({}); its claim expires in {}", service, name, failure, ttl);
            }
            then.run();
        });
    }

    void forgetClient(Caller client) {
        connections.remove(client);
    }

    /** Whether a connection (of another node, or being claimed here) holds {@code name}. */
    void heldElsewhere(String name, BiConsumer<Boolean, ServiceError> onLoop) {
        cluster.holder(name, (owner, failure) -> onLoop.accept(failure == null && owner.isPresent(), failure));
    }

    /** Every name held on any node. */
    void names(BiConsumer<List<String>, ServiceError> onLoop) {
        cluster.claims((all, failure) -> onLoop.accept(failure == null ? List.copyOf(all.keySet()) : null, failure));
    }

    /** Sends to a name this node does not hold: to the node that does, answered when that node answers. */
    void send(Call call, SendParams params) {
        String dest = params.dest();
        cluster.holder(dest, (owner, failure) -> {
            if (failure != null) {
                call.fail(failure);
                return;
            }
            if (local.holder(dest) != null) { // registered here while the engine answered
                local.deliver(params.sender(), dest, params.body());
                call.reply(null);
                return;
            }
            String node = owner.map(ClaimOwner::node).orElse(null);
            if (node == null || node.equals(cluster.nodeId())) {
                call.fail(ServiceError.UNKNOWN_DESTINATION); // free, or a claim of ours already let go
                return;
            }
            long id = ++nextSend;
            sends.put(id, new PendingSend(call, node, loop.nanoTime()));
            sweep.ensureRunning();
            ObjectNode event = event("deliver")
                    .put("id", id)
                    .put("from", cluster.nodeId())
                    .put("sender", params.sender())
                    .put("dest", dest);
            event.set("tag", owner.get().tag());
            event.set("body", params.body());
            cluster.send(node, event, sendFailure -> {
                if (sendFailure != null) {
                    answer(id, ServiceError.UNAVAILABLE);
                }
            });
        });
    }

    private void onMessage(JsonNode event) {
        switch (event.path("kind").asText()) {
            case "deliver" -> delivered(event);
            case "ack" -> answer(event.path("id").asLong(),
                    event.path("ok").asBoolean() ? null : ServiceError.UNKNOWN_DESTINATION);
            case "lost" -> {
                String name = event.path("name").asText();
                if (sameTag(event.path("tag"), owners.get(name))) {
                    owners.remove(name);
                    local.lost(name);
                }
            }
            default -> log.warn("{}: unknown message {}", service, event);
        }
    }

    /** Another node's send to a name it found held here: delivered if it still is, and answered. */
    private void delivered(JsonNode event) {
        String dest = event.path("dest").asText();
        boolean held = local.holder(dest) != null && sameTag(event.path("tag"), owners.get(dest));
        if (held) {
            local.deliver(event.path("sender").asText(), dest, event.get("body"));
        }
        ObjectNode ack = event("ack").put("id", event.path("id").asLong()).put("ok", held);
        cluster.send(event.path("from").asText(), ack, failure -> {
            if (failure != null) {
                log.debug("{}: the answer to {} was lost ({}); it times out there", service, event.path("from"),
                        failure);
            }
        });
    }

    /** Resolves a pending send: null is delivered. */
    private void answer(long id, ServiceError error) {
        PendingSend pending = sends.remove(id);
        if (pending == null) {
            return; // already answered (the node was found down, or the deadline passed)
        }
        if (error == null) {
            pending.call().reply(null);
        } else {
            pending.call().fail(error);
        }
    }

    private boolean sweepSends() {
        long now = loop.nanoTime();
        var live = cluster.liveNodes();
        for (var entry : List.copyOf(sends.entrySet())) {
            PendingSend pending = entry.getValue();
            long age = now - pending.sentNanos();
            if (age >= SWEEP.toNanos() && !live.contains(pending.node())) {
                answer(entry.getKey(), ServiceError.UNKNOWN_DESTINATION); // its holder's node is gone
            } else if (age >= SEND_DEADLINE.toNanos()) {
                answer(entry.getKey(), ServiceError.UNAVAILABLE);
            }
        }
        return !sends.isEmpty();
    }

    private void nodeDown(String node) {
        for (var entry : List.copyOf(sends.entrySet())) {
            if (entry.getValue().node().equals(node)) {
                answer(entry.getKey(), ServiceError.UNKNOWN_DESTINATION);
            }
        }
        // every survivor does it; freeing twice is harmless
        cluster.releaseNode(node, (freed, failure) -> {
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
            cluster.claim(name, mine, ttl, (kept, failure) -> {
                if (failure == null && !kept && mine == owners.get(name)) {
                    contest(name, mine);
                }
            });
        }
        return !owners.isEmpty();
    }

    /**
     * Another connection claimed a name this node still holds (the engine lost the claims meanwhile): the earlier
     * registration keeps it, the same on every node; the other is told.
     */
    private void contest(String name, JsonNode mine) {
        cluster.holder(name, (other, failure) -> {
            if (failure != null || mine != owners.get(name)) {
                return; // the next refresh tries again, or the name went meanwhile
            }
            if (other.isEmpty() || isMine(other.get(), mine)) {
                cluster.claim(name, mine, ttl, (ok, again) -> {});
            } else if (earlier(cluster.nodeId(), mine, other.get())) {
                cluster.takeOver(name, mine, ttl, takeOverFailure -> {
                    if (takeOverFailure == null) {
                        ObjectNode lost = event("lost").put("name", name);
                        lost.set("tag", other.get().tag());
                        cluster.send(other.get().node(), lost, ignored -> {});
                    }
                });
            } else {
                owners.remove(name);
                local.lost(name);
            }
        });
    }

    private boolean isMine(ClaimOwner owner, JsonNode tag) {
        return owner.node().equals(cluster.nodeId()) && sameTag(owner.tag(), tag);
    }

    /** Tags compare by value: a long written may come back from the engine as an int. */
    private static boolean sameTag(JsonNode a, JsonNode b) {
        return a != null && b != null && a.isObject() && b.isObject()
                && a.path("conn").asLong() == b.path("conn").asLong()
                && a.path("since").asLong() == b.path("since").asLong();
    }

    /** The order of registrations: time, then node id, then connection. */
    static boolean earlier(String node, JsonNode tag, ClaimOwner other) {
        JsonNode theirs = other.tag() == null ? MissingNode.getInstance() : other.tag();
        int bySince = Long.compare(tag.path("since").asLong(), theirs.path("since").asLong());
        if (bySince != 0) {
            return bySince < 0;
        }
        int byNode = node.compareTo(other.node());
        if (byNode != 0) {
            return byNode < 0;
        }
        return tag.path("conn").asLong() < theirs.path("conn").asLong();
    }

    /** Receives this node's messages (again, after a failure: the engine may not be reachable at start). */
    private void listen() {
        if (listening) {
            return;
        }
        listening = true;
        cluster.receive(this::onMessage, failure -> {
            if (failure != null) {
                listening = false;
                loop.runLater(Duration.ofSeconds(1), this::listen);
            }
        });
    }

    private ObjectNode event(String kind) {
        return json.createObjectNode().put("kind", kind);
    }
}
