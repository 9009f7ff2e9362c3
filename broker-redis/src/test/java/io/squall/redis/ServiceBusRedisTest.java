package io.squall.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.squall.core.broker.PresenceInfo;
import io.squall.core.broker.PublishOptions;
import io.squall.core.cluster.ServiceBus;
import io.squall.api.JsonKey;
import io.squall.redis.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The services' bus on real Redis: one order on every node, a namespace of its own, dead nodes reported. */
class ServiceBusRedisTest {
    private static RedisServer redis;
    private static Node a;
    private static Node b;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = new Node(config("a"));
        b = new Node(config("b"));
        a.awaitAvailable();
        b.awaitAvailable();
    }

    private static RedisConfig config(String node) {
        return RedisConfig.standalone(redis.uri(), node).withHeartbeatInterval(Duration.ofMillis(200))
                .withPresenceTtl(Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        redis.close();
    }

    @Test
    void events_from_two_nodes_reach_both_in_one_order() {
        JsonKey topic = JsonKey.of("order-topic");
        List<JsonNode> seenByA = Collections.synchronizedList(new ArrayList<>());
        List<JsonNode> seenByB = Collections.synchronizedList(new ArrayList<>());
        subscribe(a, topic, seenByA::add);
        subscribe(b, topic, seenByB::add);
        for (int i = 0; i < 200; i++) {
            Node from = i % 2 == 0 ? a : b;
            int value = i;
            from.loop.execute(() -> bus(from).publish(topic, IntNode.valueOf(value), (ok, failure) -> {}));
        }
        Node.await(() -> seenByA.size() == 200 && seenByB.size() == 200, "200 events on both nodes");
        assertThat(List.copyOf(seenByA)).isEqualTo(List.copyOf(seenByB));
    }

    @Test
    void pubsub_channels_of_the_same_name_never_see_service_events() {
        JsonKey topic = JsonKey.of("shared-name");
        List<JsonNode> services = Collections.synchronizedList(new ArrayList<>());
        subscribe(b, topic, services::add);
        b.subscribe(topic); // PubSub's broker, same channel name
        a.call((BiConsumer<Void, Throwable> done) -> bus(a).publish(topic, IntNode.valueOf(1), done));
        a.publish(topic, IntNode.valueOf(2), PublishOptions.LIVE_ONLY);
        Node.await(() -> services.size() == 1 && b.deliveries(topic).size() == 1, "one event each way");
        assertThat(services).containsExactly(IntNode.valueOf(1));
        assertThat(b.deliveries(topic).get(0).data()).isEqualTo(IntNode.valueOf(2));
    }

    @Test
    void presence_is_namespaced_and_shared() {
        JsonKey topic = JsonKey.of("members-topic");
        a.call((BiConsumer<Void, Throwable> done) ->
                bus(a).presence().add(topic, new PresenceInfo("a/1", IntNode.valueOf(7)), done));
        Map<String, PresenceInfo> seen = b.call(done -> bus(b).presence().presence(topic, done));
        assertThat(seen).containsOnlyKeys("a/1");
        assertThat(b.<Map<String, PresenceInfo>>call(done -> b.engine.presence().presence(topic, done))).isEmpty();
    }

    @Test
    void a_node_that_stops_beating_is_reported_down_once_and_never_this_one() {
        List<String> downSeenByA = Collections.synchronizedList(new ArrayList<>());
        a.loop.execute(() -> bus(a).onNodeDown(downSeenByA::add));
        try (Node c = new Node(config("c"))) {
            c.awaitAvailable();
            Node.await(() -> bus(a).liveNodes().contains("c"), "a hears c");
        }
        long closed = System.nanoTime();
        Node.await(() -> downSeenByA.contains("c"), "c reported down");
        long millis = (System.nanoTime() - closed) / 1_000_000;
        // silent for the node timeout (2.5 beats), found by a check (four a beat): about 0.55 s at 200 ms beats
        assertThat(millis).isLessThan(5_000);
        RedisServer.sleep(500);
        assertThat(downSeenByA).containsExactly("c");
        assertThat(bus(a).liveNodes()).contains("a", "b").doesNotContain("c");
    }

    private static ServiceBus bus(Node node) {
        return node.engine.serviceBus();
    }

    private static void subscribe(Node node, JsonKey topic, Consumer<JsonNode> handler) {
        node.call((BiConsumer<Void, Throwable> done) -> bus(node).subscribe(topic, handler, done));
    }
}
