package io.squall.core.service.datasync.dealer;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.service.datasync.SubscriptionItem;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/** Every row matches every item: all subscribers of the model get every delta. The query is ignored. */
public final class BroadcastDealer implements Dealer {
    private final String name;
    private final String model;
    private final Set<SubscriptionItem> items = new LinkedHashSet<>();

    public BroadcastDealer(String name, String model) {
        this.name = name;
        this.model = model;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String model() {
        return model;
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
