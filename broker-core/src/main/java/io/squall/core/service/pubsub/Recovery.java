package io.squall.core.service.pubsub;

import io.squall.core.broker.HistoryResult;
import io.squall.core.broker.Publication;
import io.squall.core.broker.StreamPosition;
import java.util.List;

/**
 * The all-or-nothing rule (centrifuge's): a subscription recovers only if the epoch is the same and the history
 * holds every publication after the client's offset up to the top, and no more than the configured bound; then all
 * of them are delivered, else none is. Never a silent partial.
 */
final class Recovery {
    private Recovery() {}

    /** The publications to deliver, or null when the subscription cannot be recovered. */
    static List<Publication> recover(StreamPosition since, HistoryResult history, int maxPublications) {
        StreamPosition top = history.position();
        if (!top.epoch().equals(since.epoch()) || top.offset() < since.offset()
                || top.offset() - since.offset() > maxPublications) {
            return null;
        }
        List<Publication> publications = history.publications();
        long missed = top.offset() - since.offset();
        if (publications.size() != missed) {
            return null;
        }
        if (missed > 0 && (publications.get(0).offset() != since.offset() + 1
                || publications.get(publications.size() - 1).offset() != top.offset())) {
            return null;
        }
        return publications;
    }
}
