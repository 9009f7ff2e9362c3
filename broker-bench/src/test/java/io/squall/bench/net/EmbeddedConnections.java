package io.squall.bench.net;

import io.netty.channel.embedded.EmbeddedChannel;

/** Connections over Netty's in-memory channel, for decoder tests without sockets. */
public final class EmbeddedConnections {
    private EmbeddedConnections() {}

    public static WsConnection of(EmbeddedChannel channel, boolean text) {
        return new WsConnection(channel, text, 0);
    }
}
