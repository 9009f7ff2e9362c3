package io.squall.core.broker;

import io.squall.api.JsonKey;
import io.squall.core.loop.EventLoop;
import io.squall.core.loop.OnDemandTimer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The embedded presence: per channel, the connections present and when each entry expires unless refreshed, with the
 * same expiry semantics as the Redis engine's (so that code written against one behaves the same on the other).
 */
public final class MemoryPresence implements PresenceManager {
    private record Entry(PresenceInfo info, long expiresAt) {}

    private final EventLoop loop;
    private final long ttlNanos;
    private final Duration ttl;
    private final Map<JsonKey, Map<String, Entry>> channels = new HashMap<>();
    private final OnDemandTimer sweeper;

    public MemoryPresence(EventLoop loop, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("presence ttl must be positive: " + ttl);
        }
        this.loop = loop;
        this.ttlNanos = ttl.toNanos();
        this.ttl = ttl;
        this.sweeper = new OnDemandTimer(loop, ttl, this::sweep);
    }

    @Override
    public void add(JsonKey channel, PresenceInfo info, BiConsumer<Void, Throwable> onLoop) {
        loop.checkInLoop();
        channels.computeIfAbsent(channel, c -> new LinkedHashMap<>())
                .put(info.clientId(), new Entry(info, loop.nanoTime() + ttlNanos));
        sweeper.ensureRunning();
        onLoop.accept(null, null);
    }

    @Override
    public void remove(JsonKey channel, String clientId, BiConsumer<Void, Throwable> onLoop) {
        loop.checkInLoop();
        Map<String, Entry> present = channels.get(channel);
        if (present != null && present.remove(clientId) != null && present.isEmpty()) {
            channels.remove(channel);
        }
        onLoop.accept(null, null);
    }

    @Override
    public void presence(JsonKey channel, BiConsumer<Map<String, PresenceInfo>, Throwable> onLoop) {
        loop.checkInLoop();
        Map<String, PresenceInfo> out = new LinkedHashMap<>();
        live(channel).forEach((id, entry) -> out.put(id, entry.info()));
        onLoop.accept(out, null);
    }

    @Override
    public void stats(JsonKey channel, BiConsumer<PresenceStats, Throwable> onLoop) {
        loop.checkInLoop();
        Map<String, Entry> present = live(channel);
        Set<JsonKey> users = new HashSet<>();
        for (Entry entry : present.values()) {
            if (entry.info().identity() != null) {
                users.add(JsonKey.of(entry.info().identity()));
            }
        }
        onLoop.accept(new PresenceStats(present.size(), users.size()), null);
    }

    private Map<String, Entry> live(JsonKey channel) {
        Map<String, Entry> present = channels.get(channel);
        if (present == null) {
            return Map.of();
        }
        long now = loop.nanoTime();
        present.values().removeIf(entry -> now - entry.expiresAt() >= 0);
        if (present.isEmpty()) {
            channels.remove(channel);
        }
        return present;
    }

    private boolean sweep() {
        for (JsonKey channel : Set.copyOf(channels.keySet())) {
            live(channel);
        }
        return !channels.isEmpty();
    }

    /** Channels with at least one entry (expired ones included until swept), for tests. */
    public int channelCount() {
        return channels.size();
    }

    @Override
    public void close() {
        sweeper.stop();
    }

    @Override
    public Duration ttl() {
        return ttl;
    }
}
