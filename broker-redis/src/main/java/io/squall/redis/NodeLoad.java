package io.squall.redis;

/**
 * What this node tells the others in its heartbeat; supplied by the server on the event loop.
 *
 * @param address where clients reach this node (host:port), informational
 */
public record NodeLoad(String address, long connections, long subscriptions) {
    public static final NodeLoad UNKNOWN = new NodeLoad("", 0, 0);
}
