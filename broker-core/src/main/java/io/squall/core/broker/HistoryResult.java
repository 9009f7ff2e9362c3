package io.squall.core.broker;

import java.util.List;

/**
 * A channel's current position and the publications a {@link HistoryQuery} asked for, oldest first unless the
 * query was reversed.
 */
public record HistoryResult(StreamPosition position, List<Publication> publications) {
    public HistoryResult {
        publications = List.copyOf(publications);
    }
}
