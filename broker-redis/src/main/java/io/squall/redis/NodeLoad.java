package io.squall.redis;

/**
 * What this node tells the others in its heartbeat; supplied by the server on the event loop.
 *
 * @param address where clients reach this node (host:port), informational
 * @param connections its public connections
 * @param subscriptions its clients' subscriptions (one per client and channel)
 * @param loopQueue tasks waiting on its event loop
 * @param messagesIn messages its services received so far (a total; the heartbeat sends the rate)
 * @param messagesOut messages its services sent so far, one per recipient (a total; the heartbeat sends the rate)
 */
public record NodeLoad(String address, long connections, long subscriptions, long loopQueue, long messagesIn,
        long messagesOut) {
    public static final NodeLoad UNKNOWN = new NodeLoad("", 0, 0, 0, 0, 0);
}
