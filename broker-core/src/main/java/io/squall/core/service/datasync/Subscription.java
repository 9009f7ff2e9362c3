package io.squall.core.service.datasync;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import io.squall.core.loop.Cancellable;
import io.squall.core.protocol.EncodedMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A subscription the backend authorized. Until a client acquires its token it buffers its deltas (up to a bound)
 * and an expiry timer runs; once acquired, deltas go straight to the client. If the buffer overflows, the
 * subscription stops collecting and its acquire is answered "Too many deltas".
 */
final class Subscription {
    final String token;
    final List<SubscriptionItem> items = new ArrayList<>();
    private final ArrayDeque<EncodedMessage> buffer = new ArrayDeque<>();
    private Client client;
    private Cancellable expiry;
    private boolean overflowed;
    /** clustered: acquired, but its missed deltas are still being read back; live deltas wait in the replay */
    private boolean replaying;

    Subscription(String token) {
        this.token = token;
    }

    /** Adds one (dealer, query) item; call before the subscription is connected to its dealers. */
    void addItem(String dealerName, JsonNode query) {
        items.add(new SubscriptionItem(dealerName, query, this));
    }

    Client client() {
        return client;
    }

    boolean isAcquired() {
        return client != null;
    }

    boolean isOverflowed() {
        return overflowed;
    }

    boolean isReplaying() {
        return replaying;
    }

    void replaying(boolean value) {
        this.replaying = value;
    }

    void expireWith(Cancellable timer) {
        this.expiry = timer;
    }

    /** Binds the client and stops the expiry timer; returns the buffered frames, oldest first, and forgets them. */
    List<EncodedMessage> acquire(Client owner) {
        this.client = owner;
        stopExpiry();
        List<EncodedMessage> pending = List.copyOf(buffer);
        buffer.clear();
        return pending;
    }

    /**
     * Buffers a frame for a client that has not come yet.
     *
     * @return false when that would pass {@code max}: the buffer is then dropped and the subscription overflowed
     */
    boolean buffer(EncodedMessage frame, int max) {
        if (buffer.size() >= max) {
            buffer.clear();
            overflowed = true;
            return false;
        }
        buffer.add(frame);
        return true;
    }

    void stopExpiry() {
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
    }
}
