package io.squall.core.service.datasync;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.service.datasync.dealer.Dealer;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which delta each subscription gets for one published delta (Snorky's {@code Dealer.deliver_delta}).
 * An insert or delete goes to the subscriptions it matches. An update is tested against the old and the new row:
 * matched by the new row only, the subscription gets an {@code insert} of the new row; by both, the update as sent;
 * by the old row only, a {@code delete} of the old row. Matching is per subscription item, then merged per
 * subscription over all items and all dealers of the model, so a subscription gets at most one delta for each
 * published one (Snorky sent one per matching item: duplicates).
 */
final class DeltaRouter {
    private DeltaRouter() {}

    /** Subscription to the delta it must get, in a stable order. Several entries may share one delta object. */
    static Map<Subscription, Delta> route(List<Dealer> dealers, Delta delta) {
        Map<Subscription, Delta> routes = new LinkedHashMap<>();
        switch (delta) {
            case Delta.Insert insert -> matching(dealers, insert.data()).forEach(s -> routes.put(s, delta));
            case Delta.Delete delete -> matching(dealers, delete.data()).forEach(s -> routes.put(s, delta));
            case Delta.Update update -> routeUpdate(dealers, update, routes);
        }
        return routes;
    }

    private static void routeUpdate(List<Dealer> dealers, Delta.Update update, Map<Subscription, Delta> routes) {
        Set<Subscription> before = matching(dealers, update.oldData());
        Set<Subscription> after = matching(dealers, update.newData());
        Delta insert = null;
        for (Subscription subscription : after) {
            if (before.contains(subscription)) {
                routes.put(subscription, update);
            } else {
                insert = insert != null ? insert : new Delta.Insert(update.model(), update.newData());
                routes.put(subscription, insert);
            }
        }
        Delta delete = null;
        for (Subscription subscription : before) {
            if (!after.contains(subscription)) {
                delete = delete != null ? delete : new Delta.Delete(update.model(), update.oldData());
                routes.put(subscription, delete);
            }
        }
    }

    private static Set<Subscription> matching(List<Dealer> dealers, JsonNode row) {
        Set<Subscription> subscriptions = new LinkedHashSet<>();
        for (Dealer dealer : dealers) {
            dealer.match(row, item -> subscriptions.add(item.subscription));
        }
        return subscriptions;
    }
}
