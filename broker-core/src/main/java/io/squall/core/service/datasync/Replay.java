package io.squall.core.service.datasync;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.broker.HistoryResult;
import io.squall.core.broker.Publication;
import io.squall.core.protocol.EncodedMessage;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One acquire on a clustered engine catching up: the deltas published since its token was authorized, read from the
 * topic's history, then those that arrived live while it read, minus the ones the history held too. What it would
 * send is bounded as one node's buffer is ({@code datasync.max.buffered.deltas}).
 */
final class Replay {
    final Subscription subscription;
    final Request request;
    final List<EncodedMessage> frames = new ArrayList<>();
    /** the last offset read; the token's position at first */
    long offset;
    /** set when this node may have missed live deltas: read the history once more before finishing */
    boolean resynced;
    private final DataSyncService service;
    private final String epoch;
    private final int maxLive;
    private final Set<String> seen = new HashSet<>();
    private final List<JsonNode> live = new ArrayList<>();

    Replay(DataSyncService service, Subscription subscription, Request request, long offset, String epoch,
            int maxLive) {
        this.service = service;
        this.subscription = subscription;
        this.request = request;
        this.offset = offset;
        this.epoch = epoch;
        this.maxLive = maxLive;
    }

    /** A live publication while reading; false past the bound (the read is far behind). */
    boolean live(JsonNode event) {
        live.add(event);
        return live.size() <= maxLive;
    }

    /**
     * One page of history since {@link #offset}; false when the history no longer reaches back (another epoch, or
     * its oldest publication is past the next expected one) or the deltas pass the bound.
     */
    boolean page(HistoryResult result) {
        if (!result.position().epoch().equals(epoch)) {
            return false;
        }
        for (Publication publication : result.publications()) {
            if (publication.offset() != offset + 1) {
                return false;
            }
            offset = publication.offset();
            seen.add(publication.data().path("id").asText());
            if (!route(publication.data())) {
                return false;
            }
        }
        // fewer than asked: this page reached the top; a top beyond it means entries were trimmed
        return !result.publications().isEmpty() || result.position().offset() <= offset;
    }

    /** The live publications the history did not hold; false past the bound. */
    boolean finish() {
        for (JsonNode event : live) {
            if (!seen.contains(event.path("id").asText()) && !route(event)) {
                return false;
            }
        }
        live.clear();
        return true;
    }

    private boolean route(JsonNode event) {
        List<Delta> deltas;
        try {
            deltas = DeltaParser.parse(event.path("deltas"));
        } catch (RpcException e) {
            return true; // not deltas: every node ignores it alike
        }
        for (Delta delta : deltas) {
            if (!service.dealers.hasModel(delta.model())) {
                continue;
            }
            Delta routed = DeltaRouter.route(service.dealers.forModel(delta.model()), delta).get(subscription);
            if (routed != null) {
                if (frames.size() >= service.limits.maxBufferedDeltas()) {
                    return false;
                }
                frames.add(service.encode(routed));
            }
        }
        return true;
    }
}
