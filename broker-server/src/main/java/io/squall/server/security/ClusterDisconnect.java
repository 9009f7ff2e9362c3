package io.squall.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.ServiceContext;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.error.ErrorName;
import io.squall.api.JsonKey;
import io.squall.core.loop.Cancellable;
import io.squall.core.rpc.Request;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's disconnect-by-identity on every node: the request goes out on a topic every node receives
 * ({@code [<service>, "disconnect"]}); each node closes its own connections of that identity and tells the asking
 * node how many, on that node's topic. The answer is the sum over the nodes alive when it was sent, given when the
 * last of them answered, was found down, or {@link #PATIENCE} passed (then the nodes that answered; the others
 * still close their connections when the request reaches them).
 */
final class ClusterDisconnect {
    private static final Logger log = LoggerFactory.getLogger(ClusterDisconnect.class);
    static final Duration PATIENCE = Duration.ofSeconds(3);

    private static final class Pending {
        final Request request;
        final Set<String> waiting;
        int closed;
        Cancellable timeout;

        Pending(Request request, Set<String> waiting) {
            this.request = request;
            this.waiting = waiting;
        }
    }

    private final String service;
    private final ServiceContext context;
    private final ServiceBus bus;
    private final ToIntFunction<JsonNode> closeLocal;
    private final JsonKey topic;
    private final JsonKey nodeTopic;
    private final Consumer<JsonNode> onRequest = this::onRequest;
    private final Consumer<JsonNode> onAnswer = this::onAnswer;
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Set<JsonKey> listening = new HashSet<>();
    private long nextId;

    /** {@code closeLocal} closes this node's connections of an identity and returns how many. On the loop. */
    ClusterDisconnect(String service, ServiceContext context, ServiceBus bus, ToIntFunction<JsonNode> closeLocal) {
        this.service = service;
        this.context = context;
        this.bus = bus;
        this.closeLocal = closeLocal;
        this.topic = JsonKey.of(context.codec().mapper().createArrayNode().add(service).add("disconnect"));
        this.nodeTopic = ServiceBus.nodeTopic(bus.nodeId());
        bus.onNodeDown(this::nodeDown);
        bus.onResync(this::listen);
        listen();
    }

    void disconnect(Request request, JsonNode identity) {
        long id = ++nextId;
        Pending asked = new Pending(request, new HashSet<>(bus.liveNodes()));
        asked.waiting.add(bus.nodeId());
        pending.put(id, asked);
        asked.timeout = context.loop().schedule(PATIENCE, () -> finish(id));
        ObjectNode event = context.codec().mapper().createObjectNode()
                .put("id", id)
                .put("from", bus.nodeId());
        event.set("identity", identity);
        bus.publish(topic, event, (ok, failure) -> {
            if (failure != null && pending.remove(id) != null) {
                asked.timeout.cancel();
                request.error(ErrorName.UNAVAILABLE); // it reached no node, this one included
            }
        });
    }

    /** Some node's disconnect (this one's included): closes here, answers the asking node. */
    private void onRequest(JsonNode event) {
        int closed = closeLocal.applyAsInt(event.path("identity"));
        ObjectNode answer = context.codec().mapper().createObjectNode()
                .put("service", service)
                .put("kind", "disconnected")
                .put("id", event.path("id").asLong())
                .put("node", bus.nodeId())
                .put("closed", closed);
        String from = event.path("from").asText();
        bus.publish(ServiceBus.nodeTopic(from), answer, (ok, failure) -> {
            if (failure != null) {
                log.debug("{}: could not tell {} that {} connection(s) closed here", service, from, closed, failure);
            }
        });
    }

    private void onAnswer(JsonNode event) {
        if (!service.equals(event.path("service").asText()) || !"disconnected".equals(event.path("kind").asText())) {
            return; // another service's directed message
        }
        long id = event.path("id").asLong();
        Pending asked = pending.get(id);
        if (asked != null) {
            asked.closed += event.path("closed").asInt();
            asked.waiting.remove(event.path("node").asText());
            if (asked.waiting.isEmpty()) {
                finish(id);
            }
        }
    }

    private void nodeDown(String node) {
        for (Long id : Set.copyOf(pending.keySet())) {
            Pending asked = pending.get(id);
            if (asked != null && asked.waiting.remove(node) && asked.waiting.isEmpty()) {
                finish(id);
            }
        }
    }

    private void finish(long id) {
        Pending asked = pending.remove(id);
        if (asked == null) {
            return;
        }
        asked.timeout.cancel();
        if (!asked.waiting.isEmpty()) {
            log.warn("{}: disconnect answered without node(s) {} (no answer within {})", service, asked.waiting,
                    PATIENCE);
        }
        asked.request.reply(asked.closed);
    }

    /** Subscribes to both topics, again after a failure (the engine may not be reachable at start). */
    private void listen() {
        subscribe(topic, onRequest);
        subscribe(nodeTopic, onAnswer);
    }

    private void subscribe(JsonKey key, Consumer<JsonNode> handler) {
        if (!listening.add(key)) {
            return;
        }
        bus.subscribe(key, handler, (ok, failure) -> {
            if (failure != null) {
                listening.remove(key);
                context.loop().schedule(Duration.ofSeconds(1), () -> subscribe(key, handler));
            }
        });
    }
}
