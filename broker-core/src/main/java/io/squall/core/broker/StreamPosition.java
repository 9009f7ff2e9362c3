package io.squall.core.broker;

import java.util.Objects;

/**
 * Where a channel's stream stands: the offset of its latest publication and the epoch of its history. An epoch
 * changes whenever the history is lost (a restart of the memory engine, Redis restarted empty, the meta key expired):
 * offsets of different epochs never compare.
 *
 * @param offset the latest publication's offset (1 for the first); 0 when nothing was published in this epoch
 * @param epoch the history's identity, a short random string
 */
public record StreamPosition(long offset, String epoch) {
    public StreamPosition {
        Objects.requireNonNull(epoch, "epoch");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
    }
}
