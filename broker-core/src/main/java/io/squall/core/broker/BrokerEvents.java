package io.squall.core.broker;

import io.squall.api.JsonKey;

/**
 * What an engine hands back to this node, always on the event loop and, for each channel, in the channel's
 * publication order (offset order on channels with history).
 */
public interface BrokerEvents {

    /**
     * A publication on a channel this node is subscribed to, from any node.
     *
     * @param epoch the channel's epoch when it has history, else the empty string
     */
    void onPublication(JsonKey channel, Publication publication, String epoch);

    /**
     * {@link #onPublication(JsonKey, Publication, String)} with the moment the publication entered the broker, on
     * this node's {@link System#nanoTime} clock (for a publication from another node, its publisher's wall-clock
     * time mapped onto it, to the millisecond), for the delivery latency; engines call this one.
     */
    default void onPublication(JsonKey channel, Publication publication, String epoch, long publishedNanos) {
        onPublication(channel, publication, epoch);
    }

    /**
     * The engine may have missed publications for every channel this node is subscribed to (its pub/sub link to
     * Redis was rebuilt). Positioned subscribers are checked against the streams' positions at once.
     */
    default void onDeliveryInterrupted() {}
}
