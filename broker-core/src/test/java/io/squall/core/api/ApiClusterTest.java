package io.squall.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.ClaimOwner;
import io.squall.api.ServiceError;
import io.squall.core.broker.HistorySettings;
import io.squall.core.broker.MemoryBroker;
import io.squall.core.broker.MemoryPresence;
import io.squall.core.cluster.MemoryClaims;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.json.Json;
import io.squall.api.JsonKey;
import io.squall.core.loop.ManualEventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A service's view of the cluster on a bus marked clustered (node "n1", with "n2" alive too), over the memory
 * engine's broker and claims; node n2 is played through the bus itself.
 */
class ApiClusterTest {
    private static final Duration TTL = Duration.ofSeconds(10);

    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceBus bus = new ServiceBus(loop, "n1", true, new MemoryBroker(loop, HistorySettings.DEFAULTS),
            new MemoryPresence(loop, Duration.ofSeconds(30)), new MemoryClaims(loop), () -> Set.of("n1", "n2"));
    private final ApiCluster cluster = new ApiCluster(loop, bus, Json.mapper(), "lab");
    private final ApiCluster other = new ApiCluster(loop, bus, Json.mapper(), "other");
    private final List<ServiceError> errors = new ArrayList<>();

    ApiClusterTest() {
        loop.runPending();
    }

    private <T> List<T> received(ApiCluster of) {
        List<T> messages = new ArrayList<>();
        of.receive(message -> messages.add(cast(message)), errors::add);
        loop.runPending();
        return messages;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(JsonNode message) {
        return (T) message;
    }

    @Test
    void what_the_node_is() {
        assertThat(cluster.nodeId()).isEqualTo("n1");
        assertThat(cluster.clustered()).isTrue();
        assertThat(cluster.liveNodes()).containsExactlyInAnyOrder("n1", "n2");
    }

    @Test
    void a_message_reaches_this_service_on_the_node_it_was_sent_to_and_no_other_service() {
        List<JsonNode> lab = received(cluster);
        List<JsonNode> others = received(other);
        List<JsonNode> atN2 = new ArrayList<>();
        bus.subscribe(JsonKey.of("api:lab:node:n2"), atN2::add, (ok, failure) -> { });
        loop.runPending();

        cluster.send("n2", Map.of("op", "call", "id", 1), errors::add);
        bus.publish(JsonKey.of("api:lab:node:n1"), Json.mapper().createObjectNode().put("op", "reply"),
                (ok, failure) -> { });
        loop.runPending();

        assertThat(atN2).singleElement().satisfies(m -> assertThat(m.path("id").asInt()).isEqualTo(1));
        assertThat(lab).singleElement().satisfies(m -> assertThat(m.path("op").asText()).isEqualTo("reply"));
        assertThat(others).isEmpty();
        assertThat(errors).containsOnlyNulls().hasSize(3); // two subscriptions ready, one send taken
    }

    @Test
    void claims_have_one_owner_node_and_a_dead_nodes_are_freed_at_once() {
        List<Object> answers = new ArrayList<>();
        cluster.claim("/dev/ttyUSB0", TTL, (held, error) -> answers.add(held));
        bus.claims().put(JsonKey.of("api:lab"), "/dev/ttyUSB1", Json.mapper().createObjectNode().put("node", "n2"), TTL,
                (ok, failure) -> { });
        loop.runPending();
        cluster.claim("/dev/ttyUSB1", TTL, (held, error) -> answers.add(held));
        cluster.owner("/dev/ttyUSB1", (owner, error) -> answers.add(owner));
        other.owner("/dev/ttyUSB0", (owner, error) -> answers.add(owner));
        cluster.releaseNode("n2", (freed, error) -> answers.add(freed));
        cluster.owner("/dev/ttyUSB1", (owner, error) -> answers.add(owner));
        cluster.release("/dev/ttyUSB0", (released, error) -> answers.add(released));
        cluster.owner("/dev/ttyUSB0", (owner, error) -> answers.add(owner));
        loop.runPending();

        assertThat(answers).containsExactly(true, false, Optional.of("n2"), Optional.empty(), 1, Optional.empty(),
                true, Optional.empty());
    }

    @Test
    void a_tagged_claim_is_owned_by_the_node_and_its_tag_and_another_tag_of_the_node_is_another_owner() {
        List<Object> answers = new ArrayList<>();
        JsonNode alice = Json.mapper().createObjectNode().put("conn", 1L).put("since", 5L);
        JsonNode bob = Json.mapper().createObjectNode().put("conn", 2L).put("since", 6L);
        cluster.claim("alice", alice, TTL, (held, error) -> answers.add(held));
        cluster.claim("alice", alice, TTL, (held, error) -> answers.add(held)); // a refresh
        cluster.claim("alice", bob, TTL, (held, error) -> answers.add(held));
        cluster.claim("alice", TTL, (held, error) -> answers.add(held)); // untagged: another owner too
        cluster.release("alice", bob, (released, error) -> answers.add(released));
        cluster.holder("alice", (owner, error) -> answers.add(owner.orElseThrow()));
        cluster.owner("alice", (owner, error) -> answers.add(owner));
        loop.runPending();

        assertThat(answers).containsExactly(true, true, false, false, false, new ClaimOwner("n1", alice),
                Optional.of("n1"));
    }

    @Test
    void every_claim_is_listed_and_a_take_over_replaces_the_owner() {
        JsonNode mine = Json.mapper().createObjectNode().put("conn", 1L);
        bus.claims().put(JsonKey.of("api:lab"), "bob", Json.mapper().createObjectNode().put("node", "n2")
                .set("tag", Json.mapper().createObjectNode().put("conn", 7)), TTL, (ok, failure) -> { });
        bus.claims().put(JsonKey.of("api:other"), "carol", Json.mapper().createObjectNode().put("node", "n2"), TTL,
                (ok, failure) -> { });
        cluster.claim("alice", mine, TTL, (held, error) -> { });
        loop.runPending();
        List<Map<String, ClaimOwner>> listed = new ArrayList<>();
        cluster.claims((all, error) -> listed.add(all));
        cluster.takeOver("bob", mine, TTL, errors::add);
        cluster.claims((all, error) -> listed.add(all));
        List<Boolean> released = new ArrayList<>();
        cluster.release("bob", mine, (ok, error) -> released.add(ok));
        cluster.claims((all, error) -> listed.add(all));
        loop.runPending();

        assertThat(listed.get(0)).containsOnlyKeys("alice", "bob");
        assertThat(listed.get(0).get("bob").node()).isEqualTo("n2");
        assertThat(listed.get(0).get("bob").tag().path("conn").asLong()).isEqualTo(7);
        assertThat(listed.get(1).get("bob")).isEqualTo(new ClaimOwner("n1", mine));
        assertThat(released).containsExactly(true);
        assertThat(listed.get(2)).containsOnlyKeys("alice");
        assertThat(errors).containsExactly((ServiceError) null);
    }

    @Test
    void a_stopped_service_receives_nothing_and_hears_of_no_death_or_resync() {
        List<JsonNode> lab = received(cluster);
        List<String> events = new ArrayList<>();
        cluster.onNodeDown(events::add);
        cluster.onResync(() -> events.add("resync"));
        bus.nodeDown("n2");
        bus.resync("test");
        assertThat(events).containsExactly("n2", "resync");

        cluster.stop();
        bus.publish(JsonKey.of("api:lab:node:n1"), Json.mapper().createObjectNode(), (ok, failure) -> { });
        bus.nodeDown("n2");
        bus.resync("test");
        loop.runPending();

        assertThat(lab).isEmpty();
        assertThat(events).hasSize(2);
        assertThat(bus.subscribed(JsonKey.of("api:lab:node:n1"))).isFalse();
        cluster.receive(message -> { }, errors::add);
        assertThat(errors).containsExactly(null, ServiceError.UNAVAILABLE);
    }

    @Test
    void on_the_memory_engine_there_is_one_node_and_a_message_to_it_arrives_here() {
        ServiceBus memory = ServiceBus.memory(loop, HistorySettings.DEFAULTS, Duration.ofSeconds(30));
        loop.runPending();
        ApiCluster alone = new ApiCluster(loop, memory, Json.mapper(), "lab");
        List<JsonNode> lab = received(alone);

        alone.send(alone.nodeId(), "hello", errors::add);
        List<Boolean> held = new ArrayList<>();
        alone.claim("anything", TTL, (ok, error) -> held.add(ok));
        loop.runPending();

        assertThat(alone.clustered()).isFalse();
        assertThat(alone.liveNodes()).containsExactly(alone.nodeId());
        assertThat(lab).singleElement().satisfies(m -> assertThat(m.asText()).isEqualTo("hello"));
        assertThat(held).containsExactly(true);
    }
}
