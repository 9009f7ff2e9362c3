package io.squall.core.broker;

import java.util.Objects;

/** A broker and a presence manager that live and close together: the memory engine or the Redis engine. */
public record Engine(Broker broker, PresenceManager presence) implements AutoCloseable {
    public Engine {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(presence, "presence");
    }

    /** The embedded default: one node, history and presence in memory. */
    public static Engine memory(io.squall.core.loop.EventLoop loop, HistorySettings history,
            java.time.Duration presenceTtl) {
        return new Engine(new MemoryBroker(loop, history), new MemoryPresence(loop, presenceTtl));
    }

    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            presence.close();
        }
    }
}
