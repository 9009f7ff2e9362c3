package io.squall.server.hooks;

import io.squall.core.Client;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@code client} id of proxy calls and webhook events: the node id and a sequence, given to a connection at its
 * first call or event and the same in all of them, so the application can join what the proxies asked with what the
 * webhooks told. Weak keys: a closed connection's id goes with it, nothing to clean up. Loop only.
 */
public final class ConnectionIds {
    private final String nodeId;
    private final Map<Client, String> ids = new WeakHashMap<>();
    /** starts at the time in µs, so ids stay unique when a node starts again under the same id */
    private long next = System.currentTimeMillis() * 1000;

    public ConnectionIds(String nodeId) {
        this.nodeId = nodeId;
    }

    String nodeId() {
        return nodeId;
    }

    /** The id of {@code client}: the one its connect proxy call carried, else one given now and kept. */
    String of(Client client) {
        String granted = Handshake.of(client).clientId();
        return granted != null ? granted : ids.computeIfAbsent(client, c -> fresh());
    }

    /** A new id, for a connection the connect proxy is asked about before it exists. */
    String fresh() {
        return nodeId + "-" + next++;
    }
}
