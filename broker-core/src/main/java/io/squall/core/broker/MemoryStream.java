package io.squall.core.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One channel's stream in the memory engine, as the Redis engine keeps it: an epoch, a top offset that only grows
 * within the epoch, and at most the history size of latest publications, all dropped together once the history TTL
 * has passed since the latest publish (the epoch and top offset stay until the meta TTL).
 */
final class MemoryStream {
    private final String epoch;
    private final ArrayDeque<Publication> publications = new ArrayDeque<>();
    private long top;
    private long expiresAt;
    private long metaExpiresAt;

    MemoryStream(String epoch) {
        this.epoch = epoch;
    }

    String epoch() {
        return epoch;
    }

    StreamPosition position() {
        return new StreamPosition(top, epoch);
    }

    Publication append(JsonNode data, HistoryPolicy history, long now, long metaTtlNanos) {
        Publication publication = new Publication(++top, data);
        publications.addLast(publication);
        while (publications.size() > history.size()) {
            publications.removeFirst();
        }
        expiresAt = now + history.ttl().toNanos();
        touch(now, metaTtlNanos);
        return publication;
    }

    void touch(long now, long metaTtlNanos) {
        metaExpiresAt = now + metaTtlNanos;
    }

    boolean metaExpired(long now) {
        return metaExpiresAt != 0 && now - metaExpiresAt >= 0;
    }

    void dropIfExpired(long now) {
        if (!publications.isEmpty() && now - expiresAt >= 0) {
            publications.clear();
        }
    }

    List<Publication> read(HistoryQuery query) {
        if (query.limit() == 0 || publications.isEmpty()) {
            return List.of();
        }
        List<Publication> out = new ArrayList<>(Math.min(query.limit(), publications.size()));
        Iterator<Publication> it = query.reverse() ? publications.descendingIterator() : publications.iterator();
        while (it.hasNext() && out.size() < query.limit()) {
            Publication publication = it.next();
            if (query.reverse() || publication.offset() > query.sinceOffset()) {
                out.add(publication);
            }
        }
        return out;
    }
}
