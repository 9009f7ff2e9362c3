package io.squall.core.service.datasync.dealer;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.service.datasync.SubscriptionItem;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/** Every row matches every item: all subscribers of the model get every delta. The query is ignored. */
public final class BroadcastDealer extends NamedDealer {
    private final Set<SubscriptionItem> items = new LinkedHashSet<>();

    public BroadcastDealer(String name, String model) {
        super(name, model);
    }

    @Override
    public void add(SubscriptionItem item) {
        items.add(item);
    }

    @Override
    public void remove(SubscriptionItem item) {
        items.remove(item);
    }

    @Override
    public void match(JsonNode row, Consumer<SubscriptionItem> matches) {
        items.forEach(matches);
    }

    @Override
    public int itemCount() {
        return items.size();
    }
}
