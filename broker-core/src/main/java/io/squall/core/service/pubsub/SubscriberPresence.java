package io.squall.core.service.pubsub;

import io.squall.core.Client;
import io.squall.core.broker.PresenceInfo;
import io.squall.core.broker.PresenceManager;
import io.squall.api.JsonKey;
import io.squall.core.loop.EventLoop;
import io.squall.core.loop.OnDemandTimer;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the presence of this node's subscribers on channels with presence: added on subscribe, removed on leave,
 * and added again every refresh interval while subscribed, so that the entries of a node that died expire.
 */
final class SubscriberPresence {
    private static final Logger log = LoggerFactory.getLogger(SubscriberPresence.class);

    private final PresenceManager presence;
    private final PresenceIds ids = new PresenceIds();
    private final Map<JsonKey, ChannelState> channels;
    private final OnDemandTimer refresh;

    SubscriberPresence(EventLoop loop, PresenceManager presence, Duration refreshInterval,
            Map<JsonKey, ChannelState> channels) {
        this.presence = presence;
        this.channels = channels;
        this.refresh = new OnDemandTimer(loop, refreshInterval, this::refreshAll);
    }

    void add(JsonKey channel, Client client) {
        refresh.ensureRunning();
        presence.add(channel, new PresenceInfo(ids.of(client), client.identity().orElse(null)), this::logFailure);
    }

    void remove(JsonKey channel, Client client) {
        presence.remove(channel, ids.of(client), this::logFailure);
    }

    void forget(Client client) {
        ids.forget(client);
    }

    /** Adds every present subscriber again; returns whether there is anyone left to refresh. */
    private boolean refreshAll() {
        boolean any = false;
        for (var entry : channels.entrySet()) {
            ChannelState state = entry.getValue();
            if (state.options.presence()) {
                state.plain.forEach(client -> add(entry.getKey(), client));
                state.positioned.keySet().forEach(client -> add(entry.getKey(), client));
                any |= !state.plain.isEmpty() || !state.positioned.isEmpty();
            }
        }
        return any;
    }

    private void logFailure(Object ignored, Throwable failure) {
        if (failure != null) {
            log.debug("presence update failed: {}", failure.getMessage());
        }
    }
}
