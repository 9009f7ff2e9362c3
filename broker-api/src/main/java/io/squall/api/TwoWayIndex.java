package io.squall.api;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A many-to-many relation kept in both directions (Snorky's pair of MultiDicts): channel to clients and client
 * to channels. Empty sets are removed at once, so an empty index holds no memory for departed keys or values.
 * Not thread-safe: it lives on the event loop.
 */
public final class TwoWayIndex<K, V> {
    private final Map<K, Set<V>> byKey = new HashMap<>();
    private final Map<V, Set<K>> byValue = new HashMap<>();

    /** Adds the pair; returns false if it was already there. */
    public boolean add(K key, V value) {
        if (!byKey.computeIfAbsent(key, k -> new HashSet<>()).add(value)) {
            return false;
        }
        byValue.computeIfAbsent(value, v -> new HashSet<>()).add(key);
        return true;
    }

    /** Removes the pair; returns false if it was not there. */
    public boolean remove(K key, V value) {
        Set<V> values = byKey.get(key);
        if (values == null || !values.remove(value)) {
            return false;
        }
        if (values.isEmpty()) {
            byKey.remove(key);
        }
        Set<K> keys = byValue.get(value);
        keys.remove(key);
        if (keys.isEmpty()) {
            byValue.remove(value);
        }
        return true;
    }

    public boolean contains(K key, V value) {
        Set<V> values = byKey.get(key);
        return values != null && values.contains(value);
    }

    /** The values paired with {@code key}: a read-only live view, so callers must not change the index while iterating. */
    public Set<V> valuesOf(K key) {
        Set<V> values = byKey.get(key);
        return values == null ? Set.of() : Collections.unmodifiableSet(values);
    }

    /** The keys paired with {@code value}: a read-only live view. */
    public Set<K> keysOf(V value) {
        Set<K> keys = byValue.get(value);
        return keys == null ? Set.of() : Collections.unmodifiableSet(keys);
    }

    public int countKeysOf(V value) {
        Set<K> keys = byValue.get(value);
        return keys == null ? 0 : keys.size();
    }

    public int countValuesOf(K key) {
        Set<V> values = byKey.get(key);
        return values == null ? 0 : values.size();
    }

    /** Removes every pair with {@code value}; returns the keys it was paired with. */
    public Set<K> removeValue(V value) {
        Set<K> keys = byValue.remove(value);
        if (keys == null) {
            return Set.of();
        }
        for (K key : keys) {
            Set<V> values = byKey.get(key);
            values.remove(value);
            if (values.isEmpty()) {
                byKey.remove(key);
            }
        }
        return keys;
    }

    /** Removes every pair with {@code key}; returns the values it was paired with. */
    public Set<V> removeKey(K key) {
        Set<V> values = byKey.remove(key);
        if (values == null) {
            return Set.of();
        }
        for (V value : values) {
            Set<K> keys = byValue.get(value);
            keys.remove(key);
            if (keys.isEmpty()) {
                byValue.remove(value);
            }
        }
        return values;
    }

    public int keyCount() {
        return byKey.size();
    }

    public int valueCount() {
        return byValue.size();
    }

    public boolean isEmpty() {
        return byKey.isEmpty();
    }
}
