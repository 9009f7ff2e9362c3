package io.squall.core.service.datasync;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One (dealer, query) pair of a subscription. Equality is identity: two subscriptions with the same query are
 * still two items.
 */
public final class SubscriptionItem {
    private final String dealerName;
    private final JsonNode query;
    final Subscription subscription;

    SubscriptionItem(String dealerName, JsonNode query, Subscription subscription) {
        this.dealerName = dealerName;
        this.query = query;
        this.subscription = subscription;
    }

    public String dealerName() {
        return dealerName;
    }

    /** The query as the backend sent it. */
    public JsonNode query() {
        return query;
    }
}
