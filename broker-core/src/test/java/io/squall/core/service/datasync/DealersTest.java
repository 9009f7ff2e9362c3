package io.squall.core.service.datasync;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import io.squall.core.ServiceContext;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.service.datasync.dealer.BroadcastDealer;
import io.squall.core.service.datasync.dealer.Dealer;
import io.squall.core.service.datasync.dealer.FilterDealer;
import io.squall.core.service.datasync.dealer.SimpleDealer;
import io.squall.core.testing.ServiceContexts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Mirrors Snorky's test_dealer_manager.py, test_broadcast_dealer.py and test_simple_dealer.py. */
class DealersTest {
    private final ServiceContext context = ServiceContexts.create(new ManualEventLoop());

    @Test
    void two_dealers_with_one_name_are_refused() {
        List<Dealer> dealers = List.of(new BroadcastDealer("Tasks", "Task"), new FilterDealer("Tasks", "Other"));

        assertThatThrownBy(() -> new DataSyncService("datasync", context, dealers, DataSyncLimits.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Tasks");
    }

    @Test
    void dealers_are_indexed_by_name_and_by_model() {
        BroadcastDealer all = new BroadcastDealer("All", "Task");
        FilterDealer filtered = new FilterDealer("Filtered", "Task");
        BroadcastDealer players = new BroadcastDealer("Players", "Player");
        Dealers dealers = new Dealers(List.of(all, filtered, players));

        assertThat(dealers.byName("Filtered")).isSameAs(filtered);
        assertThat(dealers.forModel("Task")).containsExactly(all, filtered);
        assertThat(dealers.forModel("Ghost")).isEmpty();
        assertThat(dealers.hasModel("Player")).isTrue();
    }

    @Test
    void a_broadcast_dealer_matches_every_item_whatever_its_query() {
        BroadcastDealer dealer = new BroadcastDealer("All", "Task");
        Subscription subscription = new Subscription("t");
        subscription.addItem("All", json("'ignored'"));
        subscription.addItem("All", json("null"));
        subscription.items.forEach(dealer::add);

        assertThat(matches(dealer, "{'anything':1}")).hasSize(2);
        subscription.items.forEach(dealer::remove);
        assertThat(matches(dealer, "{}")).isEmpty();
        assertThat(dealer.itemCount()).isZero();
    }

    @Test
    void a_simple_dealer_takes_any_key_function() {
        // Snorky's SimpleDealer subclass with get_key_for_model: here the key is computed, not a field
        SimpleDealer dealer = new SimpleDealer("ByInitial", "Player",
                row -> Optional.ofNullable(row.get("name")).map(name -> TextNode.valueOf(name.asText().substring(0, 1))));
        Subscription subscription = new Subscription("t");
        subscription.addItem("ByInitial", json("'A'"));
        dealer.add(subscription.items.get(0));

        assertThat(matches(dealer, "{'name':'Alice'}")).hasSize(1);
        assertThat(matches(dealer, "{'name':'Bob'}")).isEmpty();
        assertThat(matches(dealer, "{'age':3}")).isEmpty();
        dealer.remove(subscription.items.get(0));
        dealer.remove(subscription.items.get(0)); // twice is harmless
        assertThat(dealer.itemCount()).isZero();
    }

    @Test
    void two_items_with_equal_queries_are_still_two_items() {
        FilterDealer dealer = new FilterDealer("F", "Task");
        Subscription first = new Subscription("a");
        Subscription second = new Subscription("b");
        first.addItem("F", json("['==','id',1]"));
        second.addItem("F", json("['==','id',1]"));
        dealer.add(first.items.get(0));
        dealer.add(second.items.get(0));

        assertThat(matches(dealer, "{'id':1}")).extracting(item -> item.subscription).containsExactly(first, second);
    }

    private static List<SubscriptionItem> matches(Dealer dealer, String row) {
        List<SubscriptionItem> items = new ArrayList<>();
        dealer.match(json(row), items::add);
        return items;
    }
}
