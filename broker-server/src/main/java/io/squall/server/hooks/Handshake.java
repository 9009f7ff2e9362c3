package io.squall.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.util.AttachmentKey;
import java.util.List;
import java.util.Map;

/**
 * What a WebSocket connection keeps of its handshake for the proxies: the headers named in {@code proxy.headers},
 * and what the connect proxy answered (its id in the calls, the data for its first frame, when its identity
 * expires, the channels it is subscribed to at once). Immutable; one shared {@link #NONE} for most connections.
 *
 * @param headers the passed-through headers (lower-case names)
 * @param clientId the {@code client} id the connect proxy was given, or null when it was not asked
 * @param data what the connect proxy's {@code result.data} was (sent first), or null
 * @param expiresAt epoch seconds when the identity expires, or 0 for never
 * @param channels PubSub channels to subscribe to once connected
 */
public record Handshake(Map<String, String> headers, String clientId, JsonNode data, long expiresAt,
        List<JsonNode> channels) {
    public static final Handshake NONE = new Handshake(Map.of(), null, null, 0, List.of());
    /** Rides on the exchange from the handlers that learn it to the endpoint that opens the connection. */
    public static final AttachmentKey<Handshake> KEY = AttachmentKey.create(Handshake.class);

    /** A connection that knows its handshake (the public WebSocket). */
    public interface Carrier {
        Handshake handshake();
    }

    public Handshake {
        headers = Map.copyOf(headers);
        channels = List.copyOf(channels);
    }

    /** Of {@code client}: its handshake, or {@link #NONE} for a transport without one. */
    public static Handshake of(Object client) {
        return client instanceof Carrier carrier ? carrier.handshake() : NONE;
    }

    Handshake withHeaders(Map<String, String> passed) {
        return new Handshake(passed, clientId, data, expiresAt, channels);
    }

    Handshake expiring(long expiry) {
        return new Handshake(headers, clientId, data, expiry, channels);
    }

    Handshake granted(String id, JsonNode firstData, long expiry, List<JsonNode> subscribe) {
        return new Handshake(headers, id, firstData, expiry, subscribe);
    }
}
