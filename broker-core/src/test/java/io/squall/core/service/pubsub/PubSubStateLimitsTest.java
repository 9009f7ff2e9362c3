package io.squall.core.service.pubsub;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.broker.HistorySettings;
import io.squall.core.broker.MemoryBroker;
import io.squall.core.broker.MemoryPresence;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Envelope;
import io.squall.core.state.StateLimits;
import io.squall.core.testing.FaultyBroker;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.RpcCalls;
import io.squall.core.testing.ServiceContexts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** PubSub under {@code max.key.bytes} and {@code max.connection.state.bytes}. */
class PubSubStateLimitsTest {
    private static final String NAME_60K = "n".repeat(60_000);

    private final ManualEventLoop loop = new ManualEventLoop();
    private final RecordingClient alice = new RecordingClient("alice");
    private final RecordingClient bob = new RecordingClient("bob");
    private ServiceContext context;
    private FaultyBroker broker;
    private PubSubService pubsub;
    private ServiceRegistry registry;
    private RpcCalls rpc;
    private RpcCalls backend;

    private void start(StateLimits limits) {
        context = ServiceContexts.create(loop, limits);
        broker = new FaultyBroker(() -> new MemoryBroker(loop, HistorySettings.DEFAULTS));
        pubsub = new PubSubService("pubsub", context, ChannelPolicy.open(true),
                PubSubSettings.defaults(128, ChannelOptionsRules.parse("h:* size=10 ttl=1m presence")), broker,
                new MemoryPresence(loop, Duration.ofSeconds(60)));
        registry = new ServiceRegistry("public", context);
        registry.register(pubsub);
        ServiceRegistry privateRegistry = new ServiceRegistry("private", context);
        privateRegistry.register(new PubSubBackendService("pubsub_backend", context, pubsub));
        registry.connected(alice);
        registry.connected(bob);
        rpc = new RpcCalls(registry, "pubsub");
        backend = new RpcCalls(privateRegistry, "pubsub_backend");
    }

    @Test
    void the_issues_attack_128_subscriptions_with_60_kb_names_is_refused_and_holds_nothing() {
        start(StateLimits.defaults());

        for (int i = 0; i < 128; i++) {
            assertThat(rpc.error(alice, "subscribe", "{'channel':'" + i + NAME_60K + "'}")).isEqualTo("Invalid params");
        }

        assertThat(pubsub.channelCount()).isZero();
        assertThat(context.budget().total()).isZero();
    }

    @Test
    void with_large_keys_allowed_the_connection_budget_still_stops_the_attack_at_its_bytes() {
        start(new StateLimits(64 * 1024, 64 * 1024));

        assertThat(rpc.data(alice, "subscribe", "{'channel':'0" + NAME_60K + "'}").isNull()).isTrue();
        assertThat(rpc.error(alice, "subscribe", "{'channel':'1" + NAME_60K + "'}")).isEqualTo("Too much state");
        assertThat(rpc.error(alice, "subscribe", "{'channel':'" + "x".repeat(6000) + "'}")).isEqualTo("Too much state");

        assertThat(pubsub.channelCount()).as("nothing half-applied").isEqualTo(1);
        assertThat(context.budget().heldBy(alice)).isEqualTo(60_001);
        assertThat(rpc.data(bob, "subscribe", "{'channel':'1" + NAME_60K + "'}").isNull()).as("the budget is per connection")
                .isTrue();
        assertThat(rpc.data(alice, "subscribe", "{'channel':'" + "x".repeat(3000) + "'}").isNull()).isTrue();
    }

    @Test
    void keys_of_any_json_count_their_canonical_text_and_the_limit_is_inclusive() {
        start(new StateLimits(20, 48));

        rpc.data(alice, "subscribe", "{'channel':'" + "é".repeat(8) + "'}");
        rpc.data(alice, "subscribe", "{'channel':{'b':1.0,'a':[1e400]}}"); // {"a":[1E+400],"b":1}: 20 bytes
        assertThat(rpc.error(alice, "subscribe", "{'channel':{'b':1.0,'a':[1e4000]}}")).isEqualTo("Invalid params");
        assertThat(context.budget().heldBy(alice)).isEqualTo(36);
        assertThat(rpc.error(alice, "subscribe", "{'channel':'123456789abcd'}")).isEqualTo("Too much state");
        rpc.data(alice, "subscribe", "{'channel':'123456789abc'}");
        assertThat(context.budget().heldBy(alice)).isEqualTo(48);
    }

    @Test
    void every_command_naming_a_channel_refuses_an_oversized_one() {
        start(new StateLimits(16, 64));
        String big = "'" + "b".repeat(17) + "'";

        for (String command : new String[] {"subscribe", "unsubscribe", "presence", "presence_stats", "history"}) {
            assertThat(rpc.error(alice, command, "{'channel':" + big + "}")).as(command).isEqualTo("Invalid params");
        }
        assertThat(rpc.error(alice, "publish", "{'channel':" + big + ",'message':1}")).isEqualTo("Invalid params");
        assertThat(backend.error(bob, "publish", "{'channel':" + big + ",'message':1}")).isEqualTo("Invalid params");
        assertThat(backend.error(bob, "history", "{'channel':" + big + "}")).isEqualTo("Invalid params");
    }

    @Test
    void unsubscribe_disconnect_and_a_failed_subscribe_give_the_bytes_back() {
        start(StateLimits.defaults());
        rpc.data(alice, "subscribe", "{'channel':'news'}");
        rpc.data(alice, "subscribe", "{'channel':'h:room','recoverable':true}");
        rpc.data(alice, "subscribe", "{'channel':['x',2]}");
        assertThat(context.budget().heldBy(alice)).isEqualTo(4 + 6 + 7);

        rpc.data(alice, "unsubscribe", "{'channel':'news'}");
        assertThat(context.budget().heldBy(alice)).isEqualTo(13);
        broker.unavailable(true);
        assertThat(rpc.error(alice, "subscribe", "{'channel':'fails'}")).isEqualTo("Unavailable");
        assertThat(context.budget().heldBy(alice)).as("a subscribe the engine refused holds nothing").isEqualTo(13);
        broker.unavailable(false);
        registry.disconnected(alice);

        assertThat(context.budget().holders()).isZero();
        assertThat(context.budget().total()).isZero();
    }

    @Test
    void a_subscription_ended_by_its_connection_while_the_engine_confirms_is_given_back() {
        start(StateLimits.defaults());
        broker.holdSubscribes();
        registry.dispatch(bob, new Envelope("pubsub", json("{'command':'subscribe','params':{'channel':'slow'}}")));
        assertThat(context.budget().heldBy(bob)).isEqualTo(4);

        registry.disconnected(bob);
        broker.releaseSubscribes();
        loop.runPending();

        assertThat(context.budget().total()).isZero();
    }
}
