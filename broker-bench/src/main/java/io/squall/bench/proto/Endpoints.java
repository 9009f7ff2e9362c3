package io.squall.bench.proto;

import java.net.URI;
import java.util.Optional;

/**
 * Where one broker listens.
 *
 * @param subscribers the public WebSocket URL subscribers connect to
 * @param publisher the WebSocket URL the publisher connects to (Squall: the private backend WebSocket)
 * @param backendHttp Squall's private {@code /backend} URL (ingest over HTTP), if any
 * @param backendKey Squall's backend key, if any
 */
public record Endpoints(URI subscribers, URI publisher, Optional<URI> backendHttp, Optional<String> backendKey) {}
