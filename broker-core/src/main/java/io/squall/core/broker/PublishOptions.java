package io.squall.core.broker;

import java.util.Objects;

/**
 * How one publication is accepted.
 *
 * @param history the channel's history policy ({@link HistoryPolicy#NONE}: delivered live only, no offset)
 * @param idempotencyKey when not null, a retry with the same key on the same channel within the engine's
 *     idempotency window returns the first result instead of publishing again
 */
public record PublishOptions(HistoryPolicy history, String idempotencyKey) {
    public static final PublishOptions LIVE_ONLY = new PublishOptions(HistoryPolicy.NONE, null);

    public PublishOptions {
        Objects.requireNonNull(history, "history");
    }

    public static PublishOptions of(HistoryPolicy history) {
        return history.enabled() ? new PublishOptions(history, null) : LIVE_ONLY;
    }
}
