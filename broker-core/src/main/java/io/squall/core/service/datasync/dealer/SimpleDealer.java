package io.squall.core.service.datasync.dealer;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.JsonKey;
import io.squall.core.service.datasync.SubscriptionItem;
import io.squall.core.service.datasync.filter.FieldPath;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An item matches a row when its query equals the row's key (Snorky's SimpleDealer and its
 * {@code get_key_for_model}); equality is structural, numbers by value. Lookup is by hash, not a scan.
 */
public final class SimpleDealer extends NamedDealer {
    private final Function<JsonNode, Optional<JsonNode>> keyOf;
    private final Map<JsonKey, Set<SubscriptionItem>> itemsByKey = new HashMap<>();
    private int count;

    /** {@code keyOf} gives a row's key, or empty when the row has none (it then matches nothing). */
    public SimpleDealer(String name, String model, Function<JsonNode, Optional<JsonNode>> keyOf) {
        super(name, model);
        this.keyOf = keyOf;
    }

    /** The common case: the key is the value at a dotted field path, e.g. {@code owner.id}. */
    public static SimpleDealer byField(String name, String model, FieldPath field) {
        return new SimpleDealer(name, model, field::resolve);
    }

    @Override
    public void add(SubscriptionItem item) {
        if (itemsByKey.computeIfAbsent(JsonKey.of(item.query()), k -> new LinkedHashSet<>()).add(item)) {
            count++;
        }
    }

    @Override
    public void remove(SubscriptionItem item) {
        JsonKey key = JsonKey.of(item.query());
        Set<SubscriptionItem> items = itemsByKey.get(key);
        if (items != null && items.remove(item)) {
            count--;
            if (items.isEmpty()) {
                itemsByKey.remove(key);
            }
        }
    }

    @Override
    public void match(JsonNode row, Consumer<SubscriptionItem> matches) {
        keyOf.apply(row).map(JsonKey::of).map(itemsByKey::get).ifPresent(items -> items.forEach(matches));
    }

    @Override
    public int itemCount() {
        return count;
    }
}
