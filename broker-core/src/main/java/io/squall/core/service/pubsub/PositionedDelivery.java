package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.broker.Publication;
import io.squall.core.broker.StreamPosition;
import io.squall.api.JsonKey;
import io.squall.core.protocol.EncodedMessage;
import io.squall.core.protocol.ProtocolCodec;
import java.util.List;

/**
 * PubSub's frames, and delivery to positioned subscriptions: each gets the next offset of its stream exactly once,
 * older ones are skipped, and a jump (or a stream top it has not reached at two checks in a row) ends the
 * subscription through {@link GapHandler}, so nothing is skipped in silence.
 */
final class PositionedDelivery {
    /** Ends a subscription whose stream jumped ({@link UnsubscribeReason#INSUFFICIENT_STATE}). */
    @FunctionalInterface
    interface GapHandler {
        void ended(JsonKey channel, ChannelState state, PositionedSubscription subscription);
    }

    /** live publications one recovering subscription may hold while its history read is under way */
    private static final int RECOVERY_BUFFER = 4096;

    private final String service;
    private final ProtocolCodec codec;
    private final GapHandler onGap;

    PositionedDelivery(String service, ProtocolCodec codec, GapHandler onGap) {
        this.service = service;
        this.codec = codec;
        this.onGap = onGap;
    }

    int deliver(JsonKey channel, ChannelState state, Publication publication, String epoch) {
        EncodedMessage[] frame = new EncodedMessage[1]; // encoded once, when the first subscriber takes it
        int sent = 0;
        for (PositionedSubscription subscription : List.copyOf(state.positioned.values())) {
            if (subscription.recovering()) {
                subscription.buffer(publication, epoch, RECOVERY_BUFFER);
            } else if (deliverTo(channel, state, subscription, publication, epoch, frame)) {
                sent++;
            }
        }
        return sent;
    }

    /**
     * Delivers one publication to a live positioned subscription if it is the next one; a jump ends the
     * subscription with {@link UnsubscribeReason#INSUFFICIENT_STATE}.
     *
     * @return false when the subscription was ended
     */
    boolean deliverTo(JsonKey channel, ChannelState state, PositionedSubscription subscription,
            Publication publication, String epoch, EncodedMessage[] shared) {
        switch (subscription.step(publication, epoch)) {
            case DELIVER -> {
                EncodedMessage frame;
                if (shared == null) {
                    frame = positionedFrame(channel, publication);
                } else {
                    if (shared[0] == null) {
                        shared[0] = positionedFrame(channel, publication);
                    }
                    frame = shared[0];
                }
                subscription.client.send(frame);
                return true;
            }
            case STALE -> {
                return true;
            }
            default -> {
                onGap.ended(channel, state, subscription);
                return false;
            }
        }
    }

    private EncodedMessage positionedFrame(JsonKey channel, Publication publication) {
        return frame(channel, publication, true);
    }

    EncodedMessage frame(JsonKey channel, Publication publication, boolean withOffset) {
        ObjectNode notification = codec.mapper().createObjectNode().put("type", "message");
        notification.set("channel", channel.value());
        notification.set("message", publication.data());
        if (withOffset) {
            notification.put("offset", publication.offset());
        }
        return codec.encode(service, notification);
    }

    void compare(JsonKey channel, ChannelState state, StreamPosition top) {
        for (PositionedSubscription subscription : List.copyOf(state.positioned.values())) {
            if (subscription.recovering()) {
                continue;
            }
            StreamPosition at = subscription.position();
            boolean behind = top.offset() > at.offset();
            if (!top.epoch().equals(at.epoch()) || (behind && subscription.suspectTop > at.offset())) {
                onGap.ended(channel, state, subscription);
            } else {
                subscription.suspectTop = behind ? top.offset() : 0;
            }
        }
    }

    /** {@code {"type":"unsubscribed","channel":C,"code":N,"reason":R}}: the server ended this subscription. */
    EncodedMessage unsubscribed(JsonKey channel, UnsubscribeReason reason) {
        ObjectNode notification = codec.mapper().createObjectNode().put("type", "unsubscribed");
        notification.set("channel", channel.value());
        notification.put("code", reason.code());
        notification.put("reason", reason.text());
        return codec.encode(service, notification);
    }
}
