package io.squall.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.util.StatusCodes;

/** Fixed answers for paths that are not ours or requests that are not upgrades. */
public final class PlainResponses {
    private PlainResponses() {}

    public static HttpHandler notFound() {
        return exchange -> Responses.text(exchange, StatusCodes.NOT_FOUND, "Not found");
    }

    public static HttpHandler upgradeRequired() {
        return exchange -> Responses.text(exchange, StatusCodes.BAD_REQUEST, "Expected a WebSocket upgrade");
    }
}
