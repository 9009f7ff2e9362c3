package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import io.squall.api.TwoWayIndex;
import io.squall.api.JsonKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * What an operator's console shows of this node's PubSub: the busiest channels with local subscribers, bounded and
 * searchable, and per-connection subscription counts. Read on the loop from the service's own maps: no copy of the
 * channel table is kept, and a view costs one pass over it.
 */
public final class PubSubStats {

    /**
     * One channel with local subscribers.
     *
     * @param publications publications delivered on this node since the channel got local subscribers
     * @param offset the latest one's place in the channel's stream (0 on a channel without history or before any)
     * @param epoch the stream's epoch with that offset, or null
     */
    public record ChannelView(JsonNode channel, int subscribers, long publications, long offset, String epoch) {}

    /** Up to {@code limit} channels, the most subscribed first; {@code matched} of {@code total} matched the search. */
    public record ChannelPage(List<ChannelView> channels, int matched, int total) {}

    private static final Comparator<ChannelView> BUSIEST = Comparator.comparingInt(ChannelView::subscribers)
            .thenComparingLong(ChannelView::publications);

    private final Map<JsonKey, ChannelState> channels;
    private final TwoWayIndex<JsonKey, Client> subscriptions;

    PubSubStats(Map<JsonKey, ChannelState> channels, TwoWayIndex<JsonKey, Client> subscriptions) {
        this.channels = channels;
        this.subscriptions = subscriptions;
    }

    /**
     * The {@code limit} channels with the most local subscribers (then the most publications) whose canonical JSON
     * text contains {@code search}, ignoring case (empty: every channel).
     */
    public ChannelPage top(String search, int limit) {
        String needle = search.toLowerCase(Locale.ROOT);
        PriorityQueue<ChannelView> kept = new PriorityQueue<>(Math.max(1, limit) + 1, BUSIEST);
        int matched = 0;
        for (var entry : channels.entrySet()) {
            JsonKey channel = entry.getKey();
            if (!needle.isEmpty() && !channel.canonicalText().toLowerCase(Locale.ROOT).contains(needle)) {
                continue;
            }
            matched++;
            ChannelState state = entry.getValue();
            kept.add(new ChannelView(channel.value(), subscriptions.countValuesOf(channel), state.publications,
                    state.lastOffset, state.lastEpoch));
            if (kept.size() > limit) {
                kept.poll();
            }
        }
        List<ChannelView> busiest = new ArrayList<>(kept);
        busiest.sort(BUSIEST.reversed());
        return new ChannelPage(busiest, matched, channels.size());
    }

    /** Subscriptions {@code client} holds (those still being set up included). */
    public int subscriptionsOf(Client client) {
        return subscriptions.countKeysOf(client);
    }

    /** Subscriptions on this node, over every channel and client. */
    public long subscriptionCount() {
        long count = 0;
        for (JsonKey channel : channels.keySet()) {
            count += subscriptions.countValuesOf(channel);
        }
        return count;
    }
}
