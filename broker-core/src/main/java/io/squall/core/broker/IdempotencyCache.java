package io.squall.core.broker;

import io.squall.api.JsonKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Results of recent publishes by (channel, idempotency key), for the memory engine. Every entry lives the same TTL,
 * so insertion order is expiry order and expiring is a walk from the oldest; a hard cap bounds memory under a burst.
 */
final class IdempotencyCache {
    private record Key(JsonKey channel, String key) {}

    private record Entry(PublishResult result, long expiresAt) {}

    private final long ttlNanos;
    private final int maxEntries;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

    IdempotencyCache(long ttlNanos, int maxEntries) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
    }

    PublishResult get(JsonKey channel, String key, long now) {
        Entry entry = entries.get(new Key(channel, key));
        return entry == null || now - entry.expiresAt >= 0 ? null : entry.result;
    }

    void put(JsonKey channel, String key, PublishResult result, long now) {
        expire(now);
        if (entries.size() >= maxEntries) {
            Iterator<Entry> oldest = entries.values().iterator();
            oldest.next();
            oldest.remove();
        }
        entries.put(new Key(channel, key), new Entry(result, now + ttlNanos));
    }

    void expire(long now) {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext() && now - it.next().getValue().expiresAt >= 0) {
            it.remove();
        }
    }

    int size() {
        return entries.size();
    }
}
