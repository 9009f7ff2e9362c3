package io.squall.server.abuse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** An attack's own figures (connections cut, 503s, replies lost...), in the order they were first counted. */
final class Counts {
    private final Map<String, Long> values = new LinkedHashMap<>();

    synchronized void add(String name, long delta) {
        values.merge(name, delta, Long::sum);
    }

    synchronized void set(String name, long value) {
        values.put(name, value);
    }

    synchronized long get(String name) {
        return values.getOrDefault(name, 0L);
    }

    synchronized Map<String, Long> snapshot() {
        return Map.copyOf(values);
    }

    @Override
    public synchronized String toString() {
        return values.entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", "));
    }
}
