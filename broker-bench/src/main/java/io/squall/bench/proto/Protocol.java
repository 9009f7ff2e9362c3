package io.squall.bench.proto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.squall.bench.net.FrameDecoder;
import io.squall.bench.net.Listener;
import io.squall.bench.net.WsConnection;
import io.squall.bench.net.WsTarget;
import java.util.List;

/**
 * How the harness speaks to one broker: the same scenarios drive Squall (Snorky's JSON protocol), NATS (its text
 * protocol in WebSocket frames) and Mosquitto (MQTT 3.1.1 over WebSocket). Writes are queued, not flushed.
 */
public interface Protocol {
    String name();

    WsTarget subscriberTarget(Endpoints endpoints);

    WsTarget publisherTarget(Endpoints endpoints);

    FrameDecoder decoder(Listener listener);

    /** Writes a subscriber's login and subscriptions; returns how many acks they earn. */
    int openSubscriber(WsConnection connection, List<String> channels);

    /** Writes an idle connection's login (no subscriptions); returns how many acks it earns. */
    default int openIdle(WsConnection connection) {
        return openPublisher(connection);
    }

    /** Writes a publisher's login; returns how many acks it earns. */
    int openPublisher(WsConnection connection);

    /** Writes one publication as its own frame; returns how many acks it earns (Squall answers each). */
    int publish(WsConnection connection, String channel, byte[] payload);

    /**
     * Builds {@code count} publications as one unit the broker confirms (Squall: one answered frame each; NATS: one
     * frame of PUBs closed by PING; MQTT: one frame of PUBLISHes closed by PINGREQ). Built once, sent many times.
     */
    PublishUnit publishUnit(ByteBufAllocator alloc, String channel, byte[] payload, int count);

    /** The frames of a unit and the acks the broker answers it with. */
    record PublishUnit(List<ByteBuf> frames, int acks) {
        /** Queues the unit's frames (sharing their bytes) on {@code connection}. */
        public void writeTo(WsConnection connection) {
            for (ByteBuf frame : frames) {
                connection.write(frame.retainedDuplicate());
            }
        }

        public void release() {
            frames.forEach(ByteBuf::release);
        }
    }
}
