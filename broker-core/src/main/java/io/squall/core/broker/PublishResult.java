package io.squall.core.broker;

/**
 * What the engine did with a publication.
 *
 * @param position the publication's offset and the channel's epoch; null on a channel without history
 * @param duplicate true when an earlier publish with the same idempotency key answered instead (nothing was
 *     published again; {@code position} is the first publish's)
 */
public record PublishResult(StreamPosition position, boolean duplicate) {
    public static final PublishResult LIVE = new PublishResult(null, false);
}
