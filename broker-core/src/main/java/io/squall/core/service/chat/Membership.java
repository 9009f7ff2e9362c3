package io.squall.core.service.chat;

import io.squall.core.Client;
import io.squall.api.JsonKey;
import io.squall.core.loop.Cancellable;
import io.squall.core.rpc.Request;

/** One of this node's connections in one channel, from its join until its leave (clustered Chat). */
final class Membership {
    final Client client;
    final Room room;
    final JsonKey identity;
    /** unique across nodes and node restarts */
    final String device;
    /** the join waiting for its event to come back; null once answered */
    Request join;
    /** its join event was published (a resync's list of this node's devices names it) */
    boolean announced;
    /** the connection left (or closed) before its join came back */
    boolean cancelled;
    /** answers the join if its event never comes back */
    Cancellable patience;

    Membership(Client client, Room room, JsonKey identity, String device, Request join) {
        this.client = client;
        this.room = room;
        this.identity = identity;
        this.device = device;
        this.join = join;
    }
}
