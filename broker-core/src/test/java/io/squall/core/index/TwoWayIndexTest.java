package io.squall.core.index;

import io.squall.api.TwoWayIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TwoWayIndexTest {
    private final TwoWayIndex<String, String> subscriptions = new TwoWayIndex<>();

    @Test
    void an_added_pair_is_visible_from_both_sides() {
        boolean added = subscriptions.add("news", "alice");

        assertThat(added).isTrue();
        assertThat(subscriptions.contains("news", "alice")).isTrue();
        assertThat(subscriptions.valuesOf("news")).containsExactly("alice");
        assertThat(subscriptions.keysOf("alice")).containsExactly("news");
        assertThat(subscriptions.countValuesOf("news")).isEqualTo(1);
        assertThat(subscriptions.countKeysOf("alice")).isEqualTo(1);
    }

    @Test
    void adding_a_pair_twice_returns_false_and_changes_nothing() {
        subscriptions.add("news", "alice");

        boolean addedAgain = subscriptions.add("news", "alice");

        assertThat(addedAgain).isFalse();
        assertThat(subscriptions.countValuesOf("news")).isEqualTo(1);
        assertThat(subscriptions.countKeysOf("alice")).isEqualTo(1);
    }

    @Test
    void a_key_holds_many_values_and_a_value_many_keys() {
        subscriptions.add("news", "alice");
        subscriptions.add("news", "bob");
        subscriptions.add("sport", "alice");

        assertThat(subscriptions.valuesOf("news")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(subscriptions.keysOf("alice")).containsExactlyInAnyOrder("news", "sport");
        assertThat(subscriptions.keyCount()).isEqualTo(2);
        assertThat(subscriptions.valueCount()).isEqualTo(2);
    }

    @Test
    void removing_the_last_pair_leaves_no_empty_sets_on_either_side() {
        subscriptions.add("news", "alice");

        boolean removed = subscriptions.remove("news", "alice");

        assertThat(removed).isTrue();
        assertThat(subscriptions.contains("news", "alice")).isFalse();
        assertThat(subscriptions.keyCount()).isZero();
        assertThat(subscriptions.valueCount()).isZero();
        assertThat(subscriptions.isEmpty()).isTrue();
    }

    @Test
    void removing_one_pair_keeps_the_others() {
        subscriptions.add("news", "alice");
        subscriptions.add("news", "bob");
        subscriptions.add("sport", "alice");

        subscriptions.remove("news", "alice");

        assertThat(subscriptions.valuesOf("news")).containsExactly("bob");
        assertThat(subscriptions.keysOf("alice")).containsExactly("sport");
    }

    @Test
    void removing_an_absent_pair_returns_false() {
        subscriptions.add("news", "alice");

        assertThat(subscriptions.remove("news", "bob")).isFalse();
        assertThat(subscriptions.remove("sport", "alice")).isFalse();
        assertThat(subscriptions.contains("news", "alice")).isTrue();
    }

    @Test
    void remove_value_clears_it_from_every_key_and_leaves_no_empty_sets() {
        subscriptions.add("news", "alice");
        subscriptions.add("sport", "alice");
        subscriptions.add("sport", "bob");

        var keys = subscriptions.removeValue("alice");

        assertThat(keys).containsExactlyInAnyOrder("news", "sport");
        assertThat(subscriptions.keysOf("alice")).isEmpty();
        assertThat(subscriptions.valuesOf("sport")).containsExactly("bob");
        assertThat(subscriptions.keyCount()).isEqualTo(1); // "news" had only alice: gone
        assertThat(subscriptions.valueCount()).isEqualTo(1);
    }

    @Test
    void remove_key_clears_it_from_every_value_and_leaves_no_empty_sets() {
        subscriptions.add("news", "alice");
        subscriptions.add("news", "bob");
        subscriptions.add("sport", "bob");

        var values = subscriptions.removeKey("news");

        assertThat(values).containsExactlyInAnyOrder("alice", "bob");
        assertThat(subscriptions.valuesOf("news")).isEmpty();
        assertThat(subscriptions.keysOf("bob")).containsExactly("sport");
        assertThat(subscriptions.valueCount()).isEqualTo(1); // alice had only "news": gone
        assertThat(subscriptions.keyCount()).isEqualTo(1);
    }

    @Test
    void removing_everything_one_way_empties_both_sides() {
        subscriptions.add("news", "alice");
        subscriptions.add("sport", "alice");
        subscriptions.add("news", "bob");

        subscriptions.removeValue("alice");
        subscriptions.removeKey("news");

        assertThat(subscriptions.keyCount()).isZero();
        assertThat(subscriptions.valueCount()).isZero();
    }

    @Test
    void removing_an_unknown_value_or_key_returns_an_empty_set() {
        assertThat(subscriptions.removeValue("nobody")).isEmpty();
        assertThat(subscriptions.removeKey("nothing")).isEmpty();
    }

    @Test
    void views_cannot_change_the_index() {
        subscriptions.add("news", "alice");

        assertThatThrownBy(() -> subscriptions.valuesOf("news").clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> subscriptions.keysOf("alice").add("sport"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(subscriptions.contains("news", "alice")).isTrue();
    }
}
