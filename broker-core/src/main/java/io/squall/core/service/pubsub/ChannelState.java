package io.squall.core.service.pubsub;

import io.squall.core.Client;
import io.squall.core.rpc.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One channel with local subscribers: who gets its publications (plain subscribers share one encoded frame,
 * positioned ones another, with the offset) and whether this node's broker subscription is confirmed yet.
 */
final class ChannelState {
    final ChannelOptions options;
    final Set<Client> plain = new HashSet<>();
    final Map<Client, PositionedSubscription> positioned = new HashMap<>();
    /** the subscribe request each client is waiting on while the broker subscription is under way */
    final Map<Client, Request> joining = new HashMap<>();
    /** the broker confirmed this node's subscription */
    boolean linked;
    /** while the broker subscription is under way: what runs when it is done (with its failure, or null) */
    List<Consumer<Throwable>> waiting;
    /** publications delivered here since the channel got local subscribers, and the latest one's position */
    long publications;
    long lastOffset;
    String lastEpoch;

    ChannelState(ChannelOptions options) {
        this.options = options;
    }

    void published(long offset, String epoch) {
        publications++;
        lastOffset = offset;
        lastEpoch = epoch;
    }

    boolean linking() {
        return waiting != null;
    }

    void await(Consumer<Throwable> then) {
        if (waiting == null) {
            waiting = new ArrayList<>();
        }
        waiting.add(then);
    }

    List<Consumer<Throwable>> takeWaiting() {
        List<Consumer<Throwable>> taken = waiting;
        waiting = null;
        return taken;
    }
}
