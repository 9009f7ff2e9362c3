package io.squall.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromQlUsesTest {
    @Test
    void reads_metrics_matchers_and_grouping_labels_past_functions_ranges_and_numbers() {
        PromQlUses uses = PromQlUses.of("histogram_quantile(0.99, sum by (le, service) (rate("
                + "broker_backend_request_duration_seconds_bucket{instance=~\".*\", service=\"pubsub\"}[1m])))"
                + " / on (instance) group_left max without (gc) (jvm_gc_pause_seconds_count) > 2");
        assertThat(uses.selectors()).extracting(PromQlUses.Selector::metric)
                .containsExactly("broker_backend_request_duration_seconds_bucket", "jvm_gc_pause_seconds_count");
        assertThat(uses.selectors().get(0).labels()).containsExactly("instance", "service");
        assertThat(uses.selectors().get(0).values()).isEqualTo(Map.of("service", "pubsub"));
        assertThat(uses.groupingLabels()).containsExactly("le", "service", "instance", "gc");
    }

    @Test
    void refuses_what_it_cannot_read() {
        assertThatThrownBy(() -> PromQlUses.of("{__name__=\"x\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromQlUses.of("rate(x{a}[1m])")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromQlUses.of("x @ 5")).isInstanceOf(IllegalArgumentException.class);
    }
}
