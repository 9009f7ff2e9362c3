package io.squall.core.service.pubsub;

import io.squall.core.broker.HistoryPolicy;
import java.util.Objects;

/**
 * What a channel keeps beyond live delivery: a history (for recovery and {@code history}) and presence.
 *
 * @param history the history policy ({@link HistoryPolicy#NONE}: live only, no positions)
 * @param presence whether subscribers are recorded for {@code presence} and {@code presence_stats}
 */
public record ChannelOptions(HistoryPolicy history, boolean presence) {
    public static final ChannelOptions LIVE_ONLY = new ChannelOptions(HistoryPolicy.NONE, false);

    public ChannelOptions {
        Objects.requireNonNull(history, "history");
    }
}
