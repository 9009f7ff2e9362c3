package io.squall.core.broker;

import io.squall.api.JsonKey;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Who is in a channel, across nodes (centrifuge's PresenceManager). Entries expire unless refreshed: a node adds
 * each present connection again before the expiry, so the connections of a node that died vanish by themselves.
 * Called on the event loop; callbacks come back on the event loop.
 */
public interface PresenceManager extends AutoCloseable {

    /** Adds (or refreshes) {@code info} in {@code channel}. */
    void add(JsonKey channel, PresenceInfo info, BiConsumer<Void, Throwable> onLoop);

    /** Removes the connection {@code clientId} from {@code channel}. */
    void remove(JsonKey channel, String clientId, BiConsumer<Void, Throwable> onLoop);

    /** The connections present in {@code channel}, by client id. */
    void presence(JsonKey channel, BiConsumer<Map<String, PresenceInfo>, Throwable> onLoop);

    /** How many connections and identities are present in {@code channel}. */
    void stats(JsonKey channel, BiConsumer<PresenceStats, Throwable> onLoop);

    /** How long an entry lives unless added again. */
    java.time.Duration ttl();

    @Override
    void close();
}
