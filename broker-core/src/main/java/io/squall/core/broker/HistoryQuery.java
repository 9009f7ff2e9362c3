package io.squall.core.broker;

/**
 * A read of a channel's stream.
 *
 * @param sinceOffset publications after this offset (0: from the oldest kept)
 * @param limit at most this many publications; 0 reads only the channel's current position
 * @param reverse newest first (then {@code sinceOffset} is ignored)
 */
public record HistoryQuery(long sinceOffset, int limit, boolean reverse) {
    public static final HistoryQuery POSITION_ONLY = new HistoryQuery(0, 0, false);

    public HistoryQuery {
        if (sinceOffset < 0 || limit < 0) {
            throw new IllegalArgumentException("sinceOffset and limit must not be negative");
        }
    }
}
