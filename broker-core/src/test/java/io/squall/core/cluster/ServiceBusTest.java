package io.squall.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.squall.core.broker.HistorySettings;
import io.squall.api.JsonKey;
import io.squall.core.loop.ManualEventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The memory engine's bus: a service's event is handled inside publish, as a direct call would be. */
class ServiceBusTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceBus bus = ServiceBus.memory(loop, HistorySettings.DEFAULTS, Duration.ofSeconds(60));
    private final JsonKey topic = JsonKey.of("room");

    ServiceBusTest() {
        loop.runPending();
    }

    @Test
    void an_event_is_handled_before_publish_returns() {
        List<JsonNode> seen = new ArrayList<>();
        bus.subscribe(topic, seen::add, (ok, failure) -> assertThat(failure).isNull());
        List<String> order = new ArrayList<>();
        bus.publish(topic, IntNode.valueOf(1), (ok, failure) -> order.add("published:" + seen.size()));
        assertThat(seen).containsExactly(IntNode.valueOf(1));
        assertThat(order).containsExactly("published:1");
        assertThat(bus.clustered()).isFalse();
        assertThat(bus.liveNodes()).containsExactly(bus.nodeId());
    }

    @Test
    void a_failing_handler_does_not_keep_the_event_from_the_others() {
        List<JsonNode> seen = new ArrayList<>();
        Consumer<JsonNode> failing = event -> {
            throw new IllegalStateException("boom");
        };
        bus.subscribe(topic, failing, (ok, failure) -> {});
        bus.subscribe(topic, seen::add, (ok, failure) -> {});
        bus.publish(topic, IntNode.valueOf(2), (ok, failure) -> assertThat(failure).isNull());
        assertThat(seen).containsExactly(IntNode.valueOf(2));
    }

    @Test
    void the_last_handler_gone_unsubscribes_the_topic() {
        List<JsonNode> seen = new ArrayList<>();
        Consumer<JsonNode> first = seen::add;
        Consumer<JsonNode> second = seen::add;
        bus.subscribe(topic, first, (ok, failure) -> {});
        bus.subscribe(topic, second, (ok, failure) -> {});
        bus.unsubscribe(topic, first);
        assertThat(bus.subscribed(topic)).isTrue();
        bus.unsubscribe(topic, second);
        assertThat(bus.subscribed(topic)).isFalse();
        bus.publish(topic, IntNode.valueOf(3), (ok, failure) -> {});
        assertThat(seen).isEmpty();
    }

    @Test
    void node_down_and_resync_listeners_are_isolated_from_each_other() {
        List<String> told = new ArrayList<>();
        bus.onNodeDown(node -> {
            throw new IllegalStateException("boom");
        });
        bus.onNodeDown(told::add);
        bus.onResync(() -> told.add("resync"));
        bus.nodeDown("n2");
        bus.resync("test");
        assertThat(told).containsExactly("n2", "resync");
    }
}
