package io.squall.core.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.JsonKey;
import io.squall.core.loop.EventLoop;
import io.squall.core.loop.OnDemandTimer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/** The memory engine's {@link Claims}: one node, answered at once; expired names are swept every 10 s. */
public final class MemoryClaims implements Claims {
    private static final Duration SWEEP_PERIOD = Duration.ofSeconds(10);

    private record Held(JsonKey owner, long expiresAtNanos) {}

    private final EventLoop loop;
    private final Map<JsonKey, Map<String, Held>> spaces = new HashMap<>();
    private final OnDemandTimer sweeper;

    public MemoryClaims(EventLoop loop) {
        this.loop = loop;
        this.sweeper = new OnDemandTimer(loop, SWEEP_PERIOD, this::sweep);
    }

    @Override
    public void claim(JsonKey space, String name, JsonNode owner, Duration ttl, BiConsumer<Boolean, Throwable> onLoop) {
        loop.checkInLoop();
        JsonKey who = JsonKey.of(owner);
        Held current = live(space, name);
        if (current != null && !current.owner().equals(who)) {
            onLoop.accept(false, null);
            return;
        }
        hold(space, name, who, ttl);
        onLoop.accept(true, null);
    }

    @Override
    public void release(JsonKey space, String name, JsonNode owner, BiConsumer<Boolean, Throwable> onLoop) {
        loop.checkInLoop();
        Held current = live(space, name);
        boolean released = current != null && current.owner().equals(JsonKey.of(owner));
        if (released) {
            remove(space, name);
        }
        onLoop.accept(released, null);
    }

    @Override
    public void owner(JsonKey space, String name, BiConsumer<JsonNode, Throwable> onLoop) {
        loop.checkInLoop();
        Held current = live(space, name);
        onLoop.accept(current == null ? null : current.owner().value(), null);
    }

    @Override
    public void all(JsonKey space, BiConsumer<Map<String, JsonNode>, Throwable> onLoop) {
        loop.checkInLoop();
        Map<String, JsonNode> held = new LinkedHashMap<>();
        Map<String, Held> names = spaces.get(space);
        if (names != null) {
            long now = loop.nanoTime();
            names.forEach((name, entry) -> {
                if (entry.expiresAtNanos() - now > 0) {
                    held.put(name, entry.owner().value());
                }
            });
        }
        onLoop.accept(held, null);
    }

    @Override
    public void put(JsonKey space, String name, JsonNode value, Duration ttl, BiConsumer<Void, Throwable> onLoop) {
        loop.checkInLoop();
        hold(space, name, JsonKey.of(value), ttl);
        onLoop.accept(null, null);
    }

    @Override
    public void take(JsonKey space, String name, BiConsumer<JsonNode, Throwable> onLoop) {
        loop.checkInLoop();
        Held current = live(space, name);
        if (current != null) {
            remove(space, name);
        }
        onLoop.accept(current == null ? null : current.owner().value(), null);
    }

    @Override
    public void releaseNode(JsonKey space, String node, BiConsumer<Integer, Throwable> onLoop) {
        loop.checkInLoop();
        int released = 0;
        Map<String, Held> names = spaces.get(space);
        if (names != null) {
            for (Iterator<Held> it = names.values().iterator(); it.hasNext(); ) {
                JsonNode owner = it.next().owner().value();
                if (owner.isObject() && owner.path("node").isTextual() && owner.path("node").asText().equals(node)) {
                    it.remove();
                    released++;
                }
            }
            if (names.isEmpty()) {
                spaces.remove(space);
            }
        }
        onLoop.accept(released, null);
    }

    /** How many names are held (expired ones not yet swept included): 0 once everything was released. */
    public int size() {
        return spaces.values().stream().mapToInt(Map::size).sum();
    }

    private Held live(JsonKey space, String name) {
        Map<String, Held> names = spaces.get(space);
        Held held = names == null ? null : names.get(name);
        if (held != null && held.expiresAtNanos() - loop.nanoTime() <= 0) {
            remove(space, name);
            return null;
        }
        return held;
    }

    private void hold(JsonKey space, String name, JsonKey owner, Duration ttl) {
        spaces.computeIfAbsent(space, ignored -> new HashMap<>())
                .put(name, new Held(owner, loop.nanoTime() + ttl.toNanos()));
        sweeper.ensureRunning();
    }

    private void remove(JsonKey space, String name) {
        Map<String, Held> names = spaces.get(space);
        if (names != null && names.remove(name) != null && names.isEmpty()) {
            spaces.remove(space);
        }
    }

    private boolean sweep() {
        long now = loop.nanoTime();
        spaces.values().forEach(names -> names.values().removeIf(held -> held.expiresAtNanos() - now <= 0));
        spaces.values().removeIf(Map::isEmpty);
        return !spaces.isEmpty();
    }
}
