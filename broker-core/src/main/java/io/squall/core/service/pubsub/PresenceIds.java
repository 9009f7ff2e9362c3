package io.squall.core.service.pubsub;

import io.squall.core.Client;
import io.squall.core.broker.Epochs;
import java.util.HashMap;
import java.util.Map;

/**
 * Presence names connections by an id unique across nodes (Snorky's wire has no client id): a random prefix per
 * node and a counter. Ids are made for connections that enter a presence channel and forgotten when they leave.
 */
final class PresenceIds {
    private final String node = Epochs.next();
    private final Map<Client, String> ids = new HashMap<>();
    private long next;

    String of(Client client) {
        return ids.computeIfAbsent(client, c -> node + "-" + (++next));
    }

    void forget(Client client) {
        ids.remove(client);
    }
}
