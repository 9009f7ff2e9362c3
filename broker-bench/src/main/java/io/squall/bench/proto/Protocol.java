package io.squall.bench.proto;

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
     * Writes {@code count} publications as one unit the broker confirms (Squall: one answered frame each; NATS: one
     * frame of PUBs closed by PING; MQTT: one frame of PUBLISHes closed by PINGREQ); returns the acks it earns.
     */
    int publishUnit(WsConnection connection, String channel, byte[] payload, int count);
}
