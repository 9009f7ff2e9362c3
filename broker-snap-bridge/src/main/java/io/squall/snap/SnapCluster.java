package io.squall.snap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.api.Cancellable;
import io.squall.api.Cluster;
import io.squall.api.Loop;
import io.squall.api.PeriodicCallback;
import io.squall.api.ServiceError;
import io.squall.api.ServiceSetup;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SNAP bridge on several nodes sharing an engine: exactly one node runs the serial port at a time, the owner
 * of a claim on the port's path ({@code snap.port}) that it refreshes every third of {@code snap.owner.ttl}. Every
 * other node configured with the same path stands by and claims the port each third of the TTL, so when the owner
 * dies its claim expires (or is freed at once when the node is reported down) and a standby takes over, opening
 * the port itself. A {@code snap} call arriving on a standby is checked there, looked up the owner of the claim,
 * sent to that node ({@link Cluster#send}), run there and answered back the same way. What the mesh says is
 * published through the broker's channels, so subscribers on every node see it wherever the port is. On the memory
 * engine the bridge simply runs: no claim, no messages. All of it through the public service API's {@link Cluster}
 * (claims and messages in the {@code snap} service's own space). Loop only, except {@link #healthView}.
 */
public final class SnapCluster implements AutoCloseable, SnapRoute {
    private static final Logger log = LoggerFactory.getLogger(SnapCluster.class);
    /** What a forwarded call may take beyond the serial write: two trips over the engine and the owner's loop. */
    private static final Duration FORWARD_MARGIN = Duration.ofSeconds(3);

    private record Pending(String node, SnapCalls.Reply reply, Cancellable timeout) {}

    private final SnapBridge bridge;
    private final Loop loop;
    private final Cluster bus;
    private final ObjectMapper mapper;
    private final SnapCalls calls;
    private final String port;
    private final Duration ttl;
    private final Duration forwardTimeout;
    private final Map<Long, Pending> pending = new HashMap<>();
    /** Call ids start at random, so a late answer from before a restart of this node (same node id) matches none. */
    private long nextId = ThreadLocalRandom.current().nextLong(1L << 52);
    /** Written on the loop; read by {@link #healthView} too. */
    private volatile boolean owner;
    /** When the engine last confirmed this node's claim. */
    private long lastHeldNanos;
    /** The node that owned the port when last looked at, for {@code /health}. */
    private volatile String ownerNode;
    private PeriodicCallback tick;
    private boolean started;
    private boolean closed;

    /** The bridge on the nodes {@code setup}'s service runs on (claims and messages in that service's name). */
    public SnapCluster(SnapBridge bridge, ServiceSetup setup) {
        this.bridge = bridge;
        this.loop = setup.loop();
        this.bus = setup.cluster();
        this.mapper = setup.json();
        this.calls = new SnapCalls(bridge, mapper);
        this.port = bridge.config().serial().path();
        this.ttl = bridge.config().ownerTtl();
        this.forwardTimeout = bridge.config().serial().writeTimeout().plus(FORWARD_MARGIN);
    }

    SnapCalls calls() {
        return calls;
    }

    public SnapBridge bridge() {
        return bridge;
    }

    /** Runs the bridge (one node), or subscribes to this node's topic and claims the port (several). */
    public void start() {
        loop.checkInLoop();
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        if (!bus.clustered()) {
            owner = true;
            ownerNode = bus.nodeId();
            bridge.start();
            return;
        }
        subscribe();
        bus.onNodeDown(this::nodeDown);
        bus.onResync(this::claim);
        tick = loop.runPeriodically(ttl.dividedBy(3), this::claim);
        claim();
    }

    private void subscribe() {
        bus.receive(this::onDirected, failure -> {
            if (failure != null && !closed) {
                log.warn("SNAP: cannot receive forwarded calls yet ({}); retrying", failure.wireName());
                loop.runLater(Duration.ofSeconds(1), this::subscribe);
            }
        });
    }

    /** Takes or refreshes the claim; a standby that gets it opens the port, an owner that lost it closes it. */
    private void claim() {
        if (closed) {
            return;
        }
        if (owner && loop.nanoTime() - lastHeldNanos >= ttl.toNanos()) {
            // stalled (or cut off) past the TTL: another node may own the port by now, so close it before asking
            stepDown("the claim on " + port + " was not confirmed for " + ttl.toMillis() + " ms");
        }
        bus.claim(port, ttl, (held, failure) -> {
            if (closed) {
                return;
            }
            if (failure != null) {
                // while the engine cannot be reached nobody else can take the port; past a whole TTL without a
                // refresh the claim has expired, and another node may hold it once the engine answers
                if (owner && loop.nanoTime() - lastHeldNanos >= ttl.toNanos()) {
                    stepDown("the claim on " + port + " could not be refreshed for " + ttl.toMillis() + " ms: "
                            + failure.wireName());
                }
                return;
            }
            if (held) {
                lastHeldNanos = loop.nanoTime();
                ownerNode = bus.nodeId();
                if (!owner) {
                    owner = true;
                    log.info("SNAP: this node ({}) owns {} now and opens it", bus.nodeId(), port);
                    bridge.start();
                }
            } else {
                if (owner) {
                    stepDown("another node holds the claim on " + port);
                }
                bus.owner(port, (who, missed) -> ownerNode = missed != null ? ownerNode : who.orElse(null));
            }
        });
    }

    private void stepDown(String why) {
        owner = false;
        ownerNode = null;
        log.warn("SNAP: this node stands by ({}); the port is closed", why);
        bridge.standby();
    }

    private void nodeDown(String node) {
        if (closed) {
            return;
        }
        for (Map.Entry<Long, Pending> entry : List.copyOf(pending.entrySet())) {
            if (entry.getValue().node().equals(node)) {
                finish(entry.getKey(), null, ServiceError.UNAVAILABLE); // the owner died with the call
            }
        }
        bus.releaseNode(node, (freed, failure) -> {
            if (freed > 0) {
                log.info("SNAP: node {} is down; its claim on {} is freed", node, port);
                claim();
            }
        });
    }

    @Override
    public boolean local() {
        return owner || !bus.clustered();
    }

    @Override
    public void forward(String command, JsonNode params, SnapCalls.Reply reply) {
        bus.owner(port, (who, failure) -> {
            String node = failure == null ? who.orElse(null) : null;
            if (failure != null) {
                reply.done(null, ServiceError.UNAVAILABLE);
            } else if (node == null) {
                reply.done(null, ServiceError.NO_BRIDGE);
            } else if (node.equals(bus.nodeId())) {
                calls.run(command, params, reply); // this node took the port meanwhile
            } else {
                send(node, command, params, reply);
            }
        });
    }

    private void send(String node, String command, JsonNode params, SnapCalls.Reply reply) {
        long id = ++nextId;
        Cancellable timeout = loop.runLater(forwardTimeout, () -> finish(id, null, ServiceError.UNAVAILABLE));
        pending.put(id, new Pending(node, reply, timeout));
        ObjectNode call = envelope("call", id);
        call.put("from", bus.nodeId());
        call.put("command", command);
        call.set("params", params);
        bus.send(node, call, failure -> {
            if (failure != null) {
                finish(id, null, ServiceError.UNAVAILABLE);
            }
        });
    }

    private void finish(long id, JsonNode data, ServiceError error) {
        Pending call = pending.remove(id);
        if (call != null) {
            call.timeout().cancel();
            call.reply().done(data, error);
        }
    }

    /** A call forwarded to this node, or the answer to one this node forwarded. */
    private void onDirected(JsonNode event) {
        if (!port.equals(event.path("port").asText())) {
            return; // a bridge on another port (a node configured otherwise)
        }
        long id = event.path("id").asLong();
        switch (event.path("op").asText()) {
            case "call" -> answer(event.path("from").asText(), id, event.path("command").asText(),
                    event.path("params"));
            case "reply" -> finish(id, event.has("data") ? event.get("data") : null,
                    event.has("error") ? errorOf(event.path("error").asText()) : null);
            default -> log.warn("SNAP: unknown forwarded operation {}", event.path("op"));
        }
    }

    private void answer(String from, long id, String command, JsonNode params) {
        SnapCalls.Reply back = (data, error) -> {
            ObjectNode reply = envelope("reply", id);
            if (error != null) {
                reply.put("error", error.name());
            } else {
                reply.set("data", data);
            }
            bus.send(from, reply, failure -> {
                if (failure != null) {
                    log.warn("SNAP: the answer to {}'s {} was not sent: {}", from, command, failure.wireName());
                }
            });
        };
        if (!owner) {
            back.done(null, ServiceError.NO_BRIDGE); // handed over since the caller looked
        } else {
            calls.run(command, params, back);
        }
    }

    private ObjectNode envelope(String op, long id) {
        ObjectNode event = mapper.createObjectNode();
        event.put("port", port);
        event.put("op", op);
        event.put("id", id);
        return event;
    }

    private static ServiceError errorOf(String name) {
        try {
            return ServiceError.valueOf(name);
        } catch (IllegalArgumentException e) {
            return ServiceError.INTERNAL_ERROR; // a newer node's error this one does not know
        }
    }

    /** For {@code /health}: the bridge's view, and on several nodes which node owns the port. Any thread. */
    public ObjectNode healthView() {
        ObjectNode view = bridge.healthView();
        if (bus.clustered()) {
            String holder = ownerNode;
            view.put("role", owner ? "owner" : "standby");
            if (holder != null) {
                view.put("owner", holder);
            } else {
                view.putNull("owner");
            }
        }
        return view;
    }

    @Override
    public void close() {
        close(() -> { });
    }

    /**
     * Stops claiming and closes the bridge; an owner frees its claim so a standby takes over at its next try
     * rather than after the TTL. {@code released} runs on the loop once the engine answered (at once on one node).
     */
    public void close(Runnable released) {
        loop.checkInLoop();
        if (closed) {
            released.run();
            return;
        }
        closed = true;
        if (tick != null) {
            tick.stop();
        }
        for (Long id : List.copyOf(pending.keySet())) {
            finish(id, null, ServiceError.UNAVAILABLE);
        }
        boolean release = owner && bus.clustered() && started;
        owner = false;
        bridge.close();
        if (release) {
            bus.release(port, (done, failure) -> released.run());
        } else {
            released.run();
        }
    }
}
