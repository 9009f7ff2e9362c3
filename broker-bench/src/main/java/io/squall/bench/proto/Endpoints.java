package io.squall.bench.proto;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where one broker listens.
 *
 * @param subscribers the public WebSocket URL subscribers connect to
 * @param publisher the WebSocket URL the publisher connects to (Squall: the private backend WebSocket)
 * @param backendHttp Squall's private {@code /backend} URL (ingest over HTTP), if any
 * @param backendKey Squall's backend key, if any
 * @param subscriberNodes the public URLs of every node of a cluster, subscribers spread over them round-robin (one
 *     node: just {@code subscribers})
 */
public record Endpoints(URI subscribers, URI publisher, Optional<URI> backendHttp, Optional<String> backendKey,
        List<URI> subscriberNodes) {
    public Endpoints {
        subscriberNodes = subscriberNodes.isEmpty() ? List.of(subscribers) : List.copyOf(subscriberNodes);
    }

    public Endpoints(URI subscribers, URI publisher, Optional<URI> backendHttp, Optional<String> backendKey) {
        this(subscribers, publisher, backendHttp, backendKey, List.of(subscribers));
    }

    /** Where subscriber {@code id} connects: node {@code id mod nodes}. */
    public Endpoints forSubscriber(int id) {
        if (subscriberNodes.size() <= 1) {
            return this;
        }
        return node(Math.floorMod(id, subscriberNodes.size()));
    }

    /** The same endpoints with subscribers on node {@code index} only. */
    public Endpoints node(int index) {
        URI node = subscriberNodes.get(index);
        return new Endpoints(node, publisher, backendHttp, backendKey, List.of(node));
    }
}
