package io.squall.core.lifecycle;

import io.squall.core.Client;
import io.squall.api.JsonKey;

/**
 * What happens to connections and subscriptions, told to whoever reports it outside (the application's webhooks):
 * the registry tells connects and disconnects, a service tells its subscriptions. Loop thread only; an
 * implementation only records (it never calls back into services or clients, never blocks). The core knows no HTTP:
 * this is its whole seam.
 */
public interface LifecycleEvents {
    /** Reports nothing: the default of every registry and service. */
    LifecycleEvents NONE = new LifecycleEvents() {};

    /** {@code client} is connected (before any of its messages reaches a service). */
    default void connected(Client client) {}

    /** {@code client} is gone, after every service released it; {@link Client#closeCode()} tells how. */
    default void disconnected(Client client) {}

    /** {@code client}'s subscription to {@code channel} of {@code service} is in place (answered). */
    default void subscribed(String service, JsonKey channel, Client client) {}

    /** A subscription {@link #subscribed} reported has ended, whatever ended it (unsubscribe, disconnect...). */
    default void unsubscribed(String service, JsonKey channel, Client client) {}
}
