package io.squall.core.service.datasync;

import io.squall.core.service.datasync.dealer.Dealer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The dealers of one DataSync service, by name and by model (Snorky's DealerManager). */
final class Dealers {
    private final Map<String, Dealer> byName = new LinkedHashMap<>();
    private final Map<String, List<Dealer>> byModel = new HashMap<>();

    Dealers(Collection<? extends Dealer> dealers) {
        dealers.forEach(this::register);
    }

    private void register(Dealer dealer) {
        if (byName.putIfAbsent(dealer.name(), dealer) != null) {
            throw new IllegalArgumentException("two dealers are named '" + dealer.name() + "'");
        }
        byModel.computeIfAbsent(dealer.model(), m -> new ArrayList<>()).add(dealer);
    }

    Dealer byName(String name) {
        return byName.get(name);
    }

    List<Dealer> forModel(String model) {
        return byModel.getOrDefault(model, List.of());
    }

    boolean hasModel(String model) {
        return byModel.containsKey(model);
    }

    Collection<Dealer> all() {
        return Collections.unmodifiableCollection(byName.values());
    }

    void connect(Subscription subscription) {
        for (SubscriptionItem item : subscription.items) {
            byName.get(item.dealerName()).add(item);
        }
    }

    /** Detaches every item; harmless for items already detached. */
    void disconnect(Subscription subscription) {
        for (SubscriptionItem item : subscription.items) {
            byName.get(item.dealerName()).remove(item);
        }
    }

    int itemCount() {
        return byName.values().stream().mapToInt(Dealer::itemCount).sum();
    }
}
