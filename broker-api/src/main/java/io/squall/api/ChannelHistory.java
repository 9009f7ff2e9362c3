package io.squall.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a channel with history keeps ({@code pubsub.channels} rules with a size), as {@link Channels#history} reads it:
 * the channel's stream position (epoch and the offset of its latest publication) and the publications asked for,
 * oldest first.
 */
public record ChannelHistory(String epoch, long offset, List<Entry> publications) {
    public ChannelHistory {
        publications = List.copyOf(publications);
    }

    /** One publication: its offset in the channel's stream and its data. */
    public record Entry(long offset, JsonNode data) {}
}
