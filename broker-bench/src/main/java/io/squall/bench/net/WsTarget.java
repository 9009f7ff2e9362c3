package io.squall.bench.net;

import java.net.URI;
import java.util.Map;

/**
 * Where and how to open a WebSocket.
 *
 * @param uri the ws:// address (loopback only)
 * @param subprotocol the subprotocol to ask for ({@code mqtt}), or null
 * @param headers extra handshake headers (the backend key)
 * @param text whether this connection sends text frames (else binary)
 */
public record WsTarget(URI uri, String subprotocol, Map<String, String> headers, boolean text) {
    public WsTarget {
        String host = uri.getHost();
        if (host == null || !(host.startsWith("127.") || host.equals("localhost"))) {
            throw new IllegalArgumentException("the harness only loads loopback addresses, not " + uri);
        }
        headers = Map.copyOf(headers);
    }
}
