package io.squall.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.Caller;
import io.squall.api.ServiceSetup;
import io.squall.api.SquallService;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.broker.HistorySettings;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.json.Json;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Decoded;
import io.squall.core.protocol.ProtocolCodec;
import io.squall.core.service.pubsub.ChannelPolicy;
import io.squall.core.state.StateLimits;
import io.squall.core.testing.PubSubs;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.ServiceContexts;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A service of the public API bounds what it keeps per client with the connection's state budget, as the built-in
 * services do: 64-byte keys at most, 200 bytes per connection here.
 */
class ApiStateBudgetTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop, new StateLimits(64, 200));
    private final ServiceRegistry registry = new ServiceRegistry("public", context);
    private final ProtocolCodec codec = new ProtocolCodec(Json.mapper());

    record NameParams(String name) {}

    /** Keeps a set of names per caller ("watch", "unwatch"); lets the broker drop them at disconnect. */
    static final class Watches implements SquallService {
        final Map<Caller, Set<String>> watched = new HashMap<>();

        @Override
        public String name() {
            return "watches";
        }

        @Override
        public void setUp(ServiceSetup setup) {
            setup.command("watch", NameParams.class, (call, params) -> {
                Set<String> mine = watched.computeIfAbsent(call.caller(), c -> new HashSet<>());
                if (!mine.contains(params.name())) {
                    call.caller().hold(params.name()); // before keeping it: a refusal leaves nothing behind
                    mine.add(params.name());
                }
                return mine.size();
            }).command("unwatch", NameParams.class, (call, params) -> {
                Set<String> mine = watched.getOrDefault(call.caller(), Set.of());
                if (mine.remove(params.name())) {
                    call.caller().release(params.name());
                }
                return mine.size();
            }).command("isWatched", NameParams.class, (call, params) -> {
                call.caller().checkKey(params.name()); // a name to look up: checked, not kept
                return watched.getOrDefault(call.caller(), Set.of()).contains(params.name());
            });
        }
    }

    ApiStateBudgetTest() {
        ApiServices services = new ApiServices(context,
                ServiceBus.memory(loop, HistorySettings.DEFAULTS, Duration.ofSeconds(30)),
                (channel, data, onLoop) -> { }, PubSubs.memory("pubsub", context, ChannelPolicy.open(true), 8).reads());
        loop.runPending();
        services.add(registry, new Watches());
    }

    private JsonNode call(RecordingClient client, String command, String name) {
        Decoded decoded = codec.decode("{\"service\":\"watches\",\"message\":{\"command\":\"" + command
                + "\",\"params\":{\"name\":\"" + name + "\"},\"callId\":1}}");
        registry.dispatch(client, ((Decoded.Ok) decoded).envelope());
        loop.runPending();
        return client.last().get("message");
    }

    @Test
    void a_connection_holding_too_much_is_refused_and_keeps_nothing_more() {
        RecordingClient client = new RecordingClient();
        registry.connected(client);
        String fifty = "x".repeat(49);
        for (int i = 0; i < 4; i++) {
            assertThat(call(client, "watch", fifty + i).path("data").asInt()).isEqualTo(i + 1);
        }
        assertThat(call(client, "watch", fifty + "z").path("message").asText()).isEqualTo("Too much state");
        assertThat(context.budget().heldBy(client)).isEqualTo(200);

        call(client, "unwatch", fifty + "0");
        assertThat(context.budget().heldBy(client)).isEqualTo(150);
        assertThat(call(client, "watch", fifty + "z").path("data").asInt()).isEqualTo(4);
    }

    @Test
    void a_key_past_max_key_bytes_is_invalid_params() {
        RecordingClient client = new RecordingClient();
        registry.connected(client);
        assertThat(call(client, "watch", "y".repeat(65)).path("message").asText()).isEqualTo("Invalid params");
        assertThat(context.budget().holders()).isZero();
        assertThat(call(client, "isWatched", "y".repeat(65)).path("message").asText()).isEqualTo("Invalid params");
        assertThat(call(client, "isWatched", "y".repeat(64)).path("data").asBoolean()).isFalse();
        assertThat(context.budget().holders()).as("a checked key is not kept").isZero();
    }

    @Test
    void what_a_caller_holds_is_let_go_when_it_disconnects() {
        RecordingClient client = new RecordingClient();
        registry.connected(client);
        call(client, "watch", "a");
        call(client, "watch", "b");
        assertThat(context.budget().heldBy(client)).isEqualTo(2);

        registry.disconnected(client);

        assertThat(context.budget().holders()).as("no leak: the service never released them itself").isZero();
        assertThat(context.budget().total()).isZero();
    }
}
