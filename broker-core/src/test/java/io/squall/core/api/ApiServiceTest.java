package io.squall.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.squall.api.Call;
import io.squall.api.Caller;
import io.squall.api.Loop;
import io.squall.api.NoParams;
import io.squall.api.PeriodicCallback;
import io.squall.api.ServiceError;
import io.squall.api.ServiceException;
import io.squall.api.ServiceSetup;
import io.squall.api.SquallService;
import io.squall.core.ServiceContext;
import io.squall.core.broker.HistorySettings;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.ServiceRegistry;
import io.squall.core.broker.PublishResult;
import io.squall.core.error.ErrorName;
import io.squall.api.JsonKey;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Decoded;
import io.squall.core.protocol.ProtocolCodec;
import io.squall.core.service.pubsub.ChannelPolicy;
import io.squall.core.json.Json;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.PubSubs;
import io.squall.core.testing.ServiceContexts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A service written against broker-api only, run by the core's adapter on the manual loop. */
class ApiServiceTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop);
    private final ServiceRegistry registry = new ServiceRegistry("public", context);
    private final List<String> published = new ArrayList<>();
    private final ApiServices services = new ApiServices(context,
            ServiceBus.memory(loop, HistorySettings.DEFAULTS, Duration.ofSeconds(30)), this::publish,
            PubSubs.memory("pubsub", context, ChannelPolicy.open(true), 128).reads());
    private final Counter counter = new Counter();
    private final ProtocolCodec codec = new ProtocolCodec(Json.mapper());

    record AddParams(int amount) {}

    /** A counter that also shows every loop pattern. */
    static final class Counter implements SquallService {
        int value;
        int ticks;
        final Set<Caller> connected = new HashSet<>();
        Loop loop;
        PeriodicCallback ticker;

        @Override
        public String name() {
            return "counter";
        }

        @Override
        public void setUp(ServiceSetup setup) {
            loop = setup.loop();
            setup.command("add", AddParams.class, (call, params) -> {
                if (params.amount() < 0) {
                    throw new ServiceException(ServiceError.NOT_AUTHORIZED);
                }
                value += params.amount();
                return value;
            });
            setup.command("whoami", NoParams.class, (call, params) -> call.caller().requireIdentity());
            setup.asyncCommand("slowAdd", AddParams.class, (call, params) ->
                    loop.runOnExecutor(() -> params.amount() * 2, (doubled, failure) -> {
                        if (failure == null) {
                            value += doubled;
                        }
                        call.complete(value, failure);
                    }));
            setup.asyncCommand("later", NoParams.class, (call, params) ->
                    loop.runLater(Duration.ofSeconds(1), () -> call.reply("done")));
            setup.command("announce", NoParams.class, (call, params) -> {
                setup.channels().publish("news", value);
                connected.forEach(caller -> caller.notify("value is " + value));
                return null;
            });
            ticker = loop.runPeriodically(Duration.ofSeconds(10), () -> ticks++);
        }

        @Override
        public void onConnect(Caller caller) {
            connected.add(caller);
        }

        @Override
        public void onDisconnect(Caller caller) {
            connected.remove(caller);
        }
    }

    private void publish(JsonKey channel, JsonNode data, java.util.function.BiConsumer<PublishResult, Throwable> onLoop) {
        published.add(channel.value().asText() + "=" + data);
        onLoop.accept(PublishResult.LIVE, null);
    }

    private JsonNode call(RecordingClient client, String json) {
        Decoded decoded = codec.decode("{\"service\":\"counter\",\"message\":" + json + "}");
        registry.dispatch(client, ((Decoded.Ok) decoded).envelope());
        loop.runPending();
        return client.last().get("message");
    }

    @Test
    void onlyAServiceWithPerClientStateListensForConnections() {
        assertThat(services.add(registry, counter)).isInstanceOf(ApiService.Listening.class);
        ServiceRegistry other = new ServiceRegistry("private", context);
        assertThat(services.add(other, new SquallService() {
            @Override
            public String name() {
                return "stateless";
            }

            @Override
            public void setUp(ServiceSetup setup) {}
        })).isNotInstanceOf(ApiService.Listening.class);
    }

    @Test
    void commandsBindTypedParamsAndAnswerWithTheirValue() {
        services.add(registry, counter);
        RecordingClient client = new RecordingClient();
        registry.connected(client);
        JsonNode reply = call(client, "{\"command\":\"add\",\"params\":{\"amount\":5},\"callId\":1}");
        assertThat(reply.toString()).isEqualTo("{\"type\":\"response\",\"callId\":1,\"data\":5}");
    }

    @Test
    void badParamsAreInvalidParamsNamingTheField() {
        services.add(registry, counter);
        RecordingClient client = new RecordingClient();
        assertThat(call(client, "{\"command\":\"add\",\"params\":{\"amount\":\"x\"},\"callId\":1}").toString())
                .isEqualTo("{\"type\":\"error\",\"callId\":1,\"message\":\"Invalid params\",\"field\":\"amount\"}");
        assertThat(call(client, "{\"command\":\"add\",\"params\":{\"amount\":1,\"extra\":2},\"callId\":2}")
                .get("field").asText()).isEqualTo("extra");
        assertThat(call(client, "{\"command\":\"add\",\"params\":{},\"callId\":3}").get("field").asText())
                .isEqualTo("amount");
        assertThat(call(client, "{\"command\":\"nope\",\"params\":{},\"callId\":4}").get("message").asText())
                .isEqualTo("Unknown command");
        assertThat(counter.value).isZero();
    }

    @Test
    void namedErrorsComeFromTheCatalogue() {
        services.add(registry, counter);
        RecordingClient anonymous = new RecordingClient();
        assertThat(call(anonymous, "{\"command\":\"add\",\"params\":{\"amount\":-1},\"callId\":1}").get("message")
                .asText()).isEqualTo("Not authorized");
        assertThat(call(anonymous, "{\"command\":\"whoami\",\"params\":{},\"callId\":2}").get("message").asText())
                .isEqualTo("Not authenticated");
        RecordingClient alice = new RecordingClient().withIdentity(TextNode.valueOf("alice"));
        assertThat(call(alice, "{\"command\":\"whoami\",\"params\":{},\"callId\":3}").get("data").asText())
                .isEqualTo("alice");
    }

    @Test
    void everyApiErrorIsTheCataloguesWithTheSameWireName() {
        for (ServiceError error : ServiceError.values()) {
            assertThat(ErrorNames.of(error).wireName()).as(error.name()).isEqualTo(error.wireName());
        }
    }

    @Test
    void blockingWorkAnswersLaterOnTheLoop() {
        services.add(registry, counter);
        RecordingClient client = new RecordingClient();
        assertThat(call(client, "{\"command\":\"slowAdd\",\"params\":{\"amount\":4},\"callId\":1}").get("data")
                .asInt()).isEqualTo(8);
        call(client, "{\"command\":\"later\",\"params\":{},\"callId\":2}");
        assertThat(client.last().get("message").get("callId").asInt()).isEqualTo(1); // not answered yet
        loop.advance(Duration.ofSeconds(1));
        assertThat(client.last().get("message").get("data").asText()).isEqualTo("done");
    }

    @Test
    void notificationsReachConnectedCallersAndPublicationsGoThroughTheSeam() {
        services.add(registry, counter);
        RecordingClient a = new RecordingClient("a");
        RecordingClient b = new RecordingClient("b");
        registry.connected(a);
        registry.connected(b);
        registry.disconnected(b);
        call(a, "{\"command\":\"announce\",\"params\":{},\"callId\":1}");
        assertThat(a.messages()).extracting(m -> m.get("message").toString()).contains("\"value is 0\"");
        assertThat(b.messages()).isEmpty();
        assertThat(published).containsExactly("news=0");
        assertThat(counter.connected).hasSize(1);
    }

    @Test
    void shutdownStopsPeriodicCallbacksAndTimers() {
        services.add(registry, counter);
        loop.advance(Duration.ofSeconds(25));
        assertThat(counter.ticks).isEqualTo(2);
        services.stopAll();
        assertThat(counter.ticker.isRunning()).isFalse();
        loop.advance(Duration.ofMinutes(1));
        assertThat(counter.ticks).isEqualTo(2);
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void aServiceNameTakenIsRefusedNamingIt() {
        services.add(registry, counter);
        assertThatThrownBy(() -> services.add(registry, new Counter()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'counter'");
    }

    @Test
    void anAnsweredCallIsNotAnsweredTwice() {
        services.add(registry, new SquallService() {
            @Override
            public String name() {
                return "counter";
            }

            @Override
            public void setUp(ServiceSetup setup) {
                setup.command("early", NoParams.class, (Call call, NoParams params) -> {
                    call.reply("first");
                    return "second";
                });
            }
        });
        RecordingClient client = new RecordingClient();
        assertThat(call(client, "{\"command\":\"early\",\"params\":{},\"callId\":1}").get("data").asText())
                .isEqualTo("first");
        assertThat(client.frames()).hasSize(1);
        assertThat(ErrorName.valueOf("OVERLOADED").wireName()).isEqualTo("Overloaded");
    }
}
