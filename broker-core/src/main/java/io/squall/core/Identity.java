package io.squall.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.error.ErrorName;
import io.squall.core.rpc.RpcException;

/** For services that need to know who is calling (Chat, Cursors...): Snorky's {@code if client.identity is None}. */
public final class Identity {
    private Identity() {}

    /**
     * The client's identity, or an {@code RpcException} that answers {@code "Not authenticated"} when the connection
     * is anonymous (exactly Snorky's reply).
     */
    public static JsonNode require(Client client) {
        return client.identity()
                .orElseThrow(() -> new RpcException(ErrorName.NOT_AUTHENTICATED));
    }
}
