package io.squall.core.service.datasync.dealer;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.service.datasync.SubscriptionItem;
import java.util.function.Consumer;

/**
 * Decides which subscription items a row of its model matches (Snorky's Dealer). Several dealers may share a
 * model. Loop thread only, like the rest of DataSync.
 */
public interface Dealer {

    /** The name backends put in {@code authorizeSubscription}'s items. */
    String name();

    /** The model (table, class) whose deltas this dealer sees. */
    String model();

    /**
     * Checks a query when a subscription is authorized, before anything is registered.
     *
     * @throws IllegalArgumentException when this dealer cannot use {@code query} (answered "Invalid query")
     */
    default void validate(JsonNode query) {}

    /** Starts matching {@code item} (its query was validated). */
    void add(SubscriptionItem item);

    /** Stops matching {@code item}. */
    void remove(SubscriptionItem item);

    /** Hands every item whose query matches {@code row} to {@code matches}, each once. */
    void match(JsonNode row, Consumer<SubscriptionItem> matches);

    /** Items currently held (for leak checks). */
    int itemCount();
}
