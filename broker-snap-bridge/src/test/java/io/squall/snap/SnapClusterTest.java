package io.squall.snap;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.broker.HistorySettings;
import io.squall.core.broker.MemoryBroker;
import io.squall.core.broker.MemoryPresence;
import io.squall.core.cluster.MemoryClaims;
import io.squall.core.cluster.ServiceBus;
import io.squall.api.JsonKey;
import io.squall.core.testing.RecordingClient;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.Snapb1Codec;
import io.squall.snap.link.SerialSettings;
import io.squall.snap.link.SerialWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bridge's ownership and call routing on a bus with real claims (the memory engine's, marked clustered so the
 * rules of several nodes apply), a manual loop and a fake port. The other node, "n2", is played through the same
 * bus with the messages a real node sends.
 */
class SnapClusterTest {
    private static final String PORT = "/dev/fake";
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final String RPC = "{'address':'5de663','function':'setLed','args':[true]}";

    /** The SNAP service's claims, in its own space. */
    private static final JsonKey SPACE = JsonKey.of("api:snap");

    private final BridgeFixture f = new BridgeFixture(
            SnapBridgeConfig.defaults(SerialSettings.of(PORT, 38400)), new SerialWriter(Runnable::run),
            loop -> new ServiceBus(loop, "n1", true, new MemoryBroker(loop, HistorySettings.DEFAULTS),
                    new MemoryPresence(loop, Duration.ofSeconds(30)), new MemoryClaims(loop), () -> Set.of("n1", "n2")));
    private final ServiceBus bus = f.bus;
    private final RecordingClient host = new RecordingClient("host");
    private final ObjectNode n2 = f.context.codec().mapper().createObjectNode().put("node", "n2");
    /** What reached node n2's topic. */
    private final List<JsonNode> toN2 = new ArrayList<>();

    SnapClusterTest() {
        f.loop.runPending();
        bus.subscribe(topic("n2"), toN2::add, (ok, failure) -> { });
        f.loop.runPending();
    }

    /** The SNAP service's messages to {@code node}. */
    private static JsonKey topic(String node) {
        return JsonKey.of("api:snap:node:" + node);
    }

    private void heldBy(ObjectNode owner) {
        bus.claims().put(SPACE, PORT, owner, TTL, (ok, failure) -> { });
        f.loop.runPending();
    }

    private JsonNode call(String command, String params) {
        f.backend.onMessage(host, json("{'command':'" + command + "','params':" + params + ",'callId':7}"));
        f.loop.runPending();
        return host.last().path("message");
    }

    private List<SnapMessage> written() {
        List<SnapMessage> out = new ArrayList<>();
        for (byte[] frame : f.link.written()) {
            new Snapb1Codec().decode(frame, 0, frame.length, out::add);
        }
        return out;
    }

    @Test
    void on_the_memory_engine_the_bridge_runs_at_once_and_claims_nothing() {
        BridgeFixture alone = new BridgeFixture().started();

        assertThat(alone.bridge.isLinkUp()).isTrue();
        assertThat(alone.cluster().healthView().has("role")).isFalse();
        alone.bus.claims().all(SPACE, (all, failure) -> assertThat(all).isEmpty());
        assertThat(alone.bus.subscribed(JsonKey.of("api:snap:node:local"))).isFalse();
    }

    @Test
    void a_node_claims_a_free_port_and_opens_it_and_one_held_elsewhere_stays_closed_until_the_claim_expires() {
        heldBy(n2);
        f.started();

        assertThat(f.link.attempts()).as("a standby never touches the port").isZero();
        assertThat(f.cluster().healthView().path("role").asText()).isEqualTo("standby");
        assertThat(f.cluster().healthView().path("owner").asText()).isEqualTo("n2");

        f.advance(TTL.plus(TTL.dividedBy(3))); // n2 stopped refreshing: its claim expires, n1 takes the port

        assertThat(f.bridge.isLinkUp()).isTrue();
        assertThat(f.cluster().healthView().path("role").asText()).isEqualTo("owner");
        bus.claims().owner(SPACE, PORT, (owner, failure) -> assertThat(owner.path("node").asText())
                .isEqualTo("n1"));
        f.advance(TTL.multipliedBy(3));
        assertThat(f.bridge.isLinkUp()).as("the owner refreshes its claim").isTrue();
    }

    @Test
    void an_owner_that_finds_its_claim_taken_closes_the_port_and_publishes_nothing_more() {
        f.started();
        assertThat(f.bridge.isLinkUp()).isTrue();
        RecordingClient link = f.subscriber("snap/link");

        heldBy(n2); // e.g. this node was stalled past its TTL and n2 took over
        f.advance(TTL.dividedBy(3));

        assertThat(f.bridge.isLinkUp()).isFalse();
        assertThat(f.bridge.isRunning()).isFalse();
        assertThat(f.link.isOpen()).isFalse();
        assertThat(link.drain()).as("no link event from a node that no longer owns the port").isEmpty();
        f.link.feed(new byte[] {0x7e});
        f.advance(TTL.dividedBy(2)); // n2's claim still holds
        assertThat(f.link.attempts()).as("no reopening while standing by").isEqualTo(1);
    }

    @Test
    void a_call_on_a_standby_goes_to_the_owner_and_its_answer_comes_back() {
        heldBy(n2);
        f.started();

        f.backend.onMessage(host, json("{'command':'rpc','params':" + RPC + ",'callId':7}"));
        f.loop.runPending();

        assertThat(host.messages()).as("answered only once the owner answers").isEmpty();
        assertThat(toN2).hasSize(1);
        JsonNode forwarded = toN2.get(0);
        assertThat(forwarded.path("op").asText()).isEqualTo("call");
        assertThat(forwarded.path("from").asText()).isEqualTo("n1");
        assertThat(forwarded.path("command").asText()).isEqualTo("rpc");
        assertThat(forwarded.path("params").path("function").asText()).isEqualTo("setLed");
        ObjectNode reply = f.context.codec().mapper().createObjectNode().put("service", "snap").put("port", PORT)
                .put("op", "reply").put("id", forwarded.path("id").asLong());
        reply.putObject("data").put("seq", 42);
        bus.publish(topic("n1"), reply, (ok, failure) -> { });
        f.loop.runPending();

        assertThat(host.last().path("message").path("data").path("seq").asInt()).isEqualTo(42);
        assertThat(f.link.written()).as("nothing written by the standby").isEmpty();
    }

    @Test
    void an_unanswered_call_is_unavailable_and_a_call_while_nobody_owns_the_port_is_no_bridge() {
        heldBy(n2);
        f.started();
        f.backend.onMessage(host, json("{'command':'nodes','params':{},'callId':7}"));
        f.loop.runPending();
        f.advance(f.config.serial().writeTimeout().plusSeconds(3)); // n2 died with the call

        assertThat(host.last().path("message").path("message").asText()).isEqualTo("Unavailable");

        bus.claims().release(SPACE, PORT, n2, (ok, failure) -> { });
        f.loop.runPending();
        assertThat(call("rpc", RPC).path("message").asText()).isEqualTo("No bridge");
        assertThat(call("rpc", "{'address':'5de6','function':'setLed','args':[]}").path("message").asText())
                .as("checked where it arrives").isEqualTo("Invalid address");
    }

    @Test
    void when_the_owner_is_reported_down_its_calls_fail_at_once_and_the_standby_takes_the_port() {
        heldBy(n2);
        f.started();
        f.backend.onMessage(host, json("{'command':'link','params':{},'callId':7}"));
        f.loop.runPending();

        bus.nodeDown("n2");
        f.loop.runPending();

        assertThat(host.last().path("message").path("message").asText()).isEqualTo("Unavailable");
        assertThat(f.bridge.isLinkUp()).as("the dead node's claim freed, this node took the port").isTrue();
        assertThat(call("link", "{}").path("data").path("state").asText()).isEqualTo("up");
    }

    @Test
    void the_owner_runs_a_forwarded_call_and_answers_the_caller_node() {
        f.started();
        ObjectNode forwarded = f.context.codec().mapper().createObjectNode().put("service", "snap").put("port", PORT)
                .put("op", "call").put("id", 5).put("from", "n2").put("command", "rpc");
        forwarded.set("params", json(RPC));
        bus.publish(topic("n1"), forwarded, (ok, failure) -> { });
        f.loop.runPending();

        assertThat(written()).containsExactly(SnapMessage.unicast(0x000020, 0x5de663, 1, "setLed", List.of(true)));
        assertThat(toN2).hasSize(1);
        assertThat(toN2.get(0).path("op").asText()).isEqualTo("reply");
        assertThat(toN2.get(0).path("id").asLong()).isEqualTo(5);
        assertThat(toN2.get(0).path("data").path("seq").asInt()).isEqualTo(1);

        forwarded.put("id", 6).put("command", "mcastRpc").set("params", json("{'group':0,'ttl':1,'function':'f',"
                + "'args':[]}"));
        bus.publish(topic("n1"), forwarded, (ok, failure) -> { });
        forwarded.put("id", 7).put("port", "/dev/other"); // a call for a bridge on another port
        bus.publish(topic("n1"), forwarded, (ok, failure) -> { });
        f.loop.runPending();
        assertThat(toN2).hasSize(2);
        assertThat(toN2.get(1).path("error").asText()).isEqualTo("INVALID_GROUP");
    }

    @Test
    void a_standby_while_the_port_opens_closes_what_the_open_made_and_a_start_meanwhile_keeps_it() {
        SnapBridge bridge = f.bareBridge(new SerialWriter(Runnable::run));
        bridge.start();
        bridge.standby();
        f.loop.runPending();
        assertThat(f.link.isOpen()).isFalse();
        assertThat(bridge.isRunning()).isFalse();

        bridge.start();
        bridge.standby();
        bridge.start(); // before the second open came back: it serves this start, no third open
        f.loop.runPending();

        assertThat(bridge.isLinkUp()).isTrue();
        assertThat(f.link.opens()).isEqualTo(2);
    }

    @Test
    void closing_the_owner_frees_its_claim_for_a_standby() {
        f.started();
        List<Boolean> released = new ArrayList<>();
        f.cluster().close(() -> released.add(true));
        f.loop.runPending();

        assertThat(released).containsExactly(true);
        bus.claims().all(SPACE, (all, failure) -> assertThat(all).isEqualTo(Map.of()));
        assertThat(f.link.isOpen()).isFalse();
    }
}
