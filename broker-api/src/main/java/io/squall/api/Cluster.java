package io.squall.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The broker nodes that share this one's engine, as one service sees them: messages between its instances on
 * different nodes, claims (names with one owner node each, e.g. a serial port only one node may open), and node
 * liveness. On the memory engine there is one node, {@link #clustered()} is false, a message sent to this node
 * arrives here and every claim is this node's; the code is the same either way.
 *
 * <p>Everything is the service's own: its messages and claims are kept apart from every other service's by its
 * name. Call it on the loop; every callback runs on the loop. A failure is {@link ServiceError#UNAVAILABLE} (the
 * engine cannot be reached) or {@link ServiceError#OVERLOADED}, ready for {@link Call#fail}.
 */
public interface Cluster {

    /** This node's id, unique among the nodes sharing the engine. */
    String nodeId();

    /** False on the memory engine (one node): work that only other nodes need may be skipped. */
    boolean clustered();

    /** The ids of the nodes alive now, this one included. */
    Set<String> liveNodes();

    /**
     * Makes {@code handler} receive the messages {@link #send sent} to this service on this node, in the order each
     * sender sent them. {@code ready} gets null once messages sent after it will arrive, or the failure (then nothing
     * is received: try again later). Ends at shutdown.
     */
    void receive(Consumer<JsonNode> handler, Consumer<ServiceError> ready);

    /**
     * Sends {@code message} (any Jackson-serializable value) to this service on node {@code node}; {@code onLoop}
     * gets null once the engine took it, or the failure. Nothing tells whether the node was alive to receive it:
     * pair a request with a timeout.
     */
    void send(String node, Object message, Consumer<ServiceError> onLoop);

    /**
     * Takes or refreshes this node's claim on {@code name} for {@code ttl}: {@code onLoop} gets true when this node
     * holds it now, false when another node does. A claim not refreshed within its TTL expires, so a dead node's
     * claims pass to whoever asks next.
     */
    void claim(String name, Duration ttl, BiConsumer<Boolean, ServiceError> onLoop);

    /**
     * Like {@link #claim(String, Duration, BiConsumer)}, with a {@code tag} the service chooses (any JSON, e.g. which
     * connection of this node holds a name and since when): the tag is part of the owner, so a refresh or
     * {@link #release(String, JsonNode, BiConsumer) release} must give the same one, and another tag of this same
     * node is another owner (false).
     */
    void claim(String name, JsonNode tag, Duration ttl, BiConsumer<Boolean, ServiceError> onLoop);

    /** Gives up this node's claim on {@code name} taken with {@code tag}; true when it was held so. */
    void release(String name, JsonNode tag, BiConsumer<Boolean, ServiceError> onLoop);

    /** The owner of {@code name} now (node and tag), if any. */
    void holder(String name, BiConsumer<Optional<ClaimOwner>, ServiceError> onLoop);

    /** Every claim of this service held now, by name, on every node. */
    void claims(BiConsumer<Map<String, ClaimOwner>, ServiceError> onLoop);

    /**
     * Makes this node hold {@code name} with {@code tag} for {@code ttl} whoever held it: to settle, the same way on
     * every node, two owners of one name after the engine lost its claims. {@code onLoop} gets null once it is done.
     */
    void takeOver(String name, JsonNode tag, Duration ttl, Consumer<ServiceError> onLoop);

    /**
     * Makes {@code handler} receive what this service publishes to {@code topic} on any node, this one included,
     * every node in the same order: a service that applies a change when its message comes back, rather than when it
     * publishes it, sees the same order everywhere. {@code ready} gets null once messages published after it will
     * arrive, or the failure (then the handler is not added: try again later).
     */
    void subscribe(JsonKey topic, Consumer<JsonNode> handler, Consumer<ServiceError> ready);

    /** Stops {@code handler} receiving {@code topic}; the node stops receiving the topic after its last handler. */
    void unsubscribe(JsonKey topic, Consumer<JsonNode> handler);

    /** Publishes {@code message} (any Jackson-serializable value) to every node receiving {@code topic}. */
    void publish(JsonKey topic, Object message, Consumer<ServiceError> onLoop);

    /**
     * How long an entry ({@link #putEntry}) lives unless put again: put this node's entries again every third of it,
     * so a dead node's entries vanish by themselves ({@code presence.ttl}).
     */
    Duration entryTtl();

    /** Puts (or refreshes) entry {@code id} of {@code group} with {@code value} (any JSON, or null) on every node. */
    void putEntry(JsonKey group, String id, JsonNode value, Consumer<ServiceError> onLoop);

    /** Removes entry {@code id} of {@code group}. */
    void removeEntry(JsonKey group, String id, Consumer<ServiceError> onLoop);

    /** The live entries of {@code group}, by id (a JSON null for an entry put with none). */
    void entries(JsonKey group, BiConsumer<Map<String, JsonNode>, ServiceError> onLoop);

    /** The node holding {@code name} now, if any. */
    void owner(String name, BiConsumer<Optional<String>, ServiceError> onLoop);

    /** Gives up this node's claim on {@code name} (nothing when another node holds it); true when it was held. */
    void release(String name, BiConsumer<Boolean, ServiceError> onLoop);

    /** Frees every claim of node {@code node} (found down) at once, rather than when they expire: how many. */
    void releaseNode(String node, BiConsumer<Integer, ServiceError> onLoop);

    /** {@code onLoop} gets the id of every node found dead (its heartbeats stopped), once per death. */
    void onNodeDown(Consumer<String> onLoop);

    /**
     * {@code onLoop} runs whenever this node may have missed messages or been given up by the others (its link to
     * the engine was rebuilt, the engine restarted): re-announce and re-claim what the service holds.
     */
    void onResync(Runnable onLoop);
}
