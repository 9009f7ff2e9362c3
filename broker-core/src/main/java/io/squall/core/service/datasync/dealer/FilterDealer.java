package io.squall.core.service.datasync.dealer;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.service.datasync.SubscriptionItem;
import io.squall.core.service.datasync.filter.Filter;
import io.squall.core.service.datasync.filter.FilterParser;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Each item's query is a filter ({@link FilterParser}); a row matches the items whose filter it satisfies. Rows
 * are tested against every filter of the dealer, as in Snorky: cost grows with the number of subscribers.
 */
public final class FilterDealer extends NamedDealer {
    private final Map<SubscriptionItem, Filter> filters = new LinkedHashMap<>();

    public FilterDealer(String name, String model) {
        super(name, model);
    }

    @Override
    public void validate(JsonNode query) {
        FilterParser.parse(query);
    }

    @Override
    public void add(SubscriptionItem item) {
        filters.put(item, FilterParser.parse(item.query()));
    }

    @Override
    public void remove(SubscriptionItem item) {
        filters.remove(item);
    }

    @Override
    public void match(JsonNode row, Consumer<SubscriptionItem> matches) {
        filters.forEach((item, filter) -> {
            if (filter.matches(row)) {
                matches.accept(item);
            }
        });
    }

    @Override
    public int itemCount() {
        return filters.size();
    }
}
