package io.squall.bench.net;

import io.netty.buffer.ByteBuf;

/** What a protocol decoder reports from one connection; every call runs on the connector's event loop thread. */
public interface Listener {
    /** A publication arrived; its payload is {@code buf[from, to)}, valid only during the call. */
    void delivered(ByteBuf buf, int from, int to);

    /** The broker confirmed something this connection sent (a subscription, a login, a publish, a barrier). */
    void acked(WsConnection connection);

    /** The broker answered with an error. */
    void failed(WsConnection connection, String error);

    /** The connection closed (by either side). */
    void closed(WsConnection connection);
}
