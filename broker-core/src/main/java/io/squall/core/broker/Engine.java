package io.squall.core.broker;

import io.squall.core.cluster.Occupancy;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.loop.EventLoop;
import java.time.Duration;

/**
 * A broker and a presence manager that live and close together: the embedded memory engine ({@link #memory}) or
 * the Redis engine (module {@code broker-redis}).
 */
public interface Engine extends AutoCloseable {

    Broker broker();

    PresenceManager presence();

    /** The services' own bus (Chat, Messaging, Cursors, DataSync, SNAP), over the same engine. */
    ServiceBus serviceBus();

    /** Which channels have subscribers on any node (the webhooks' occupied and vacated). */
    Occupancy occupancy();

    /** Its name in logs and health: {@code memory} or {@code redis}. */
    String name();

    /** True while the engine can take publications; a node whose engine is unavailable is not ready. */
    default boolean available() {
        return broker().available();
    }

    /** Closes the broker, the presence and whatever connections they share; from any thread. */
    @Override
    void close();

    /** The embedded default: one node, history and presence in memory, nothing to connect to. */
    static Engine memory(EventLoop loop, HistorySettings history, Duration presenceTtl) {
        MemoryBroker broker = new MemoryBroker(loop, history);
        MemoryPresence presence = new MemoryPresence(loop, presenceTtl);
        ServiceBus bus = ServiceBus.memory(loop, history, presenceTtl);
        Occupancy occupancy = Occupancy.local();
        return new Engine() {
            @Override
            public Broker broker() {
                return broker;
            }

            @Override
            public PresenceManager presence() {
                return presence;
            }

            @Override
            public ServiceBus serviceBus() {
                return bus;
            }

            @Override
            public Occupancy occupancy() {
                return occupancy;
            }

            @Override
            public String name() {
                return "memory";
            }

            @Override
            public void close() {
                loop.executeCritical(() -> {
                    broker.close();
                    presence.close();
                    bus.close();
                });
            }
        };
    }
}
