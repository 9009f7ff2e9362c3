package io.squall.core.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.JsonKey;
import java.util.function.BiConsumer;

/**
 * The seam between accepting a publication and delivering it on this node (centrifuge's Broker). Services call
 * it on the event loop and every callback comes back on the event loop, exactly once, with a result or a failure
 * ({@link BrokerUnavailableException} while the engine cannot be reached). Implementations: the embedded
 * {@code MemoryBroker} (one node) and the Redis engine (any number of nodes); both keep history and recovery with the
 * same semantics.
 */
public interface Broker extends AutoCloseable {

    /** Called once, on the loop, before any other method: where this node's deliveries go. */
    void start(BrokerEvents events);

    /**
     * Accepts a publication: assigns its offset when the channel has history, keeps it there, and delivers it to
     * every node subscribed to the channel (this one included), in offset order. {@code onLoop} is called once the
     * engine has accepted it (for Redis: once Redis answered).
     */
    void publish(JsonKey channel, JsonNode data, PublishOptions options, BiConsumer<PublishResult, Throwable> onLoop);

    /**
     * Makes this node receive {@code channel}'s publications; services call it for a channel's first local
     * subscriber. {@code onLoop} is called once publications published after it will be delivered.
     */
    void subscribe(JsonKey channel, BiConsumer<Void, Throwable> onLoop);

    /** Stops this node receiving {@code channel}'s publications; called after its last local subscriber left. */
    void unsubscribe(JsonKey channel);

    /** Reads the channel's position and the publications {@code query} asks for. */
    void history(JsonKey channel, HistoryQuery query, BiConsumer<HistoryResult, Throwable> onLoop);

    /** True while the engine can take publications (for readiness checks). */
    default boolean available() {
        return true;
    }

    @Override
    void close();
}
