package io.squall.core.service.pubsub;

import io.squall.core.Client;
import io.squall.core.broker.Publication;
import io.squall.core.broker.StreamPosition;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's positioned subscription to a channel: where its stream stands for this client, and, until its
 * recovery read has answered, the live publications that came meanwhile (bounded: past the bound the subscription
 * can only be told it lost state).
 */
final class PositionedSubscription {
    /** What one publication means for this subscription. */
    enum Step { DELIVER, STALE, GAP }

    final Client client;
    private String epoch;
    private long offset;
    private List<Buffered> buffer = new ArrayList<>();
    private boolean overflowed;
    /** a top offset seen by the last position check and not yet reached: a gap if still not reached at the next */
    long suspectTop;

    record Buffered(Publication publication, String epoch) {}

    PositionedSubscription(Client client) {
        this.client = client;
    }

    boolean recovering() {
        return buffer != null;
    }

    /** Keeps a live publication that arrived before the recovery read answered. */
    void buffer(Publication publication, String epoch, int limit) {
        if (buffer.size() >= limit) {
            overflowed = true;
            buffer.clear();
        } else if (!overflowed) {
            buffer.add(new Buffered(publication, epoch));
        }
    }

    /** Ends recovery at {@code position}; returns what was buffered meanwhile, or null if it overflowed. */
    List<Buffered> goLive(StreamPosition position) {
        List<Buffered> buffered = overflowed ? null : buffer;
        buffer = null;
        epoch = position.epoch();
        offset = position.offset();
        return buffered;
    }

    /** Decides a live publication: the next offset of the same epoch is delivered, an older one is skipped. */
    Step step(Publication publication, String publicationEpoch) {
        if (!publicationEpoch.equals(epoch) || publication.offset() > offset + 1) {
            return Step.GAP;
        }
        if (publication.offset() <= offset) {
            return Step.STALE;
        }
        offset = publication.offset();
        return Step.DELIVER;
    }

    StreamPosition position() {
        return new StreamPosition(offset, epoch);
    }
}
