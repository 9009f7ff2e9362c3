package io.squall.core.state;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Envelope;
import io.squall.core.rpc.RpcException;
import io.squall.core.service.pubsub.ChannelPolicy;
import io.squall.core.testing.Jsons;
import io.squall.core.testing.PubSubs;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.ServiceContexts;
import org.junit.jupiter.api.Test;

class StateBudgetTest {
    private final StateBudget budget = new StateBudget(new StateLimits(8, 20));
    private final RecordingClient alice = new RecordingClient("alice");
    private final RecordingClient bob = new RecordingClient("bob");

    @Test
    void a_key_larger_than_the_limit_is_invalid_params_counted_in_utf8_bytes() {
        assertThat(budget.key(json("'12345678'")).byteSize()).isEqualTo(8);
        assertThat(budget.keyBytes("éééé")).isEqualTo(8);
        assertThat(errorOf(() -> budget.key(json("'123456789'")))).isEqualTo("Invalid params");
        assertThat(errorOf(() -> budget.keyBytes("ééééé"))).isEqualTo("Invalid params");
        assertThat(errorOf(() -> budget.key(json("{'a':[1,2]}")))).as("{\"a\":[1,2]} is 11 bytes")
                .isEqualTo("Invalid params");
        assertThat(budget.key(json("[1.0,2]")).byteSize()).as("canonical: [1,2]").isEqualTo(5);
    }

    @Test
    void holding_past_the_budget_is_too_much_state_and_holds_nothing() {
        budget.hold(alice, 15);

        assertThat(errorOf(() -> budget.hold(alice, 6))).isEqualTo("Too much state");
        assertThat(budget.heldBy(alice)).isEqualTo(15);
        budget.hold(alice, 5);
        budget.hold(bob, 20);
        assertThat(budget.total()).isEqualTo(40);
    }

    @Test
    void releasing_everything_forgets_the_connection() {
        budget.hold(alice, 15);
        budget.release(alice, 10);
        assertThat(budget.holders()).isEqualTo(1);

        budget.release(alice, 5);

        assertThat(budget.holders()).isZero();
        assertThat(budget.total()).isZero();
        assertThatThrownBy(() -> budget.release(alice, 1)).as("a release never held is a bug, said loudly")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_call_id_larger_than_a_key_is_invalid_message_and_nothing_runs() {
        ManualEventLoop loop = new ManualEventLoop();
        ServiceContext context = ServiceContexts.create(loop, new StateLimits(16, 64));
        ServiceRegistry registry = new ServiceRegistry("public", context);
        var pubsub = PubSubs.memory("pubsub", context, ChannelPolicy.open(true), 10);
        registry.register(pubsub);
        registry.connected(alice);

        registry.dispatch(alice, new Envelope("pubsub", json(
                "{'command':'subscribe','params':{'channel':'a'},'callId':'" + "x".repeat(17) + "'}")));
        registry.dispatch(alice, new Envelope("pubsub", json(
                "{'command':'subscribe','params':{'channel':'b'},'callId':1e999999999}")));
        loop.runPending();

        assertThat(alice.frames()).extracting(Jsons::parse).extracting(f -> f.at("/message/message").asText())
                .containsExactly("Invalid message", "");
        assertThat(pubsub.subscriberCount(json("'a'"))).isZero();
        assertThat(pubsub.subscriberCount(json("'b'"))).isOne();
    }

    private static String errorOf(Runnable call) {
        try {
            call.run();
        } catch (RpcException e) {
            return e.error().wireName();
        }
        throw new AssertionError("no error");
    }
}
