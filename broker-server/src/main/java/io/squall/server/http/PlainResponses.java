package io.squall.server.http;

import io.squall.core.error.HttpRefusal;
import io.undertow.server.HttpHandler;

/** Fixed answers for paths that are not ours or requests that are not upgrades. */
public final class PlainResponses {
    private PlainResponses() {}

    public static HttpHandler notFound() {
        return exchange -> Responses.refuse(exchange, HttpRefusal.NOT_FOUND);
    }

    public static HttpHandler upgradeRequired() {
        return exchange -> Responses.refuse(exchange, HttpRefusal.NOT_AN_UPGRADE);
    }
}
