package io.squall.core.rpc;

import static io.squall.core.testing.Jsons.json;
import static io.squall.core.testing.Meters.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.ServiceContext;
import io.squall.core.error.ErrorName;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.testing.LogCapture;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.ServiceContexts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Mirrors Snorky's tests/test_rpc.py and tests/test_rpc_magic.py. */
class RpcServiceTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop);
    private final ToolService tools = new ToolService("tools", context);
    private final RecordingClient alice = new RecordingClient("alice");

    @Test
    void a_sync_command_replies_with_its_return_value_and_the_call_id() {
        tools.onMessage(alice, json("{'command':'ping','params':{},'callId':0}"));

        assertThat(alice.messages())
                .containsExactly(json("{'service':'tools','message':{'type':'response','callId':0,'data':'pong'}}"));
    }

    @Test
    void a_reply_to_a_call_without_call_id_leaves_call_id_out() {
        tools.onMessage(alice, json("{'command':'ping','params':{}}"));

        assertThat(alice.last()).isEqualTo(json("{'service':'tools','message':{'type':'response','data':'pong'}}"));
    }

    @Test
    void a_reply_to_call_id_null_leaves_call_id_out() {
        tools.onMessage(alice, json("{'command':'ping','params':{},'callId':null}"));

        assertThat(alice.last()).isEqualTo(json("{'service':'tools','message':{'type':'response','data':'pong'}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "'call-7'", "1.5", "true", "{'n':[1,'x']}", "[0]"})
    void a_call_id_of_any_json_type_is_echoed_unchanged(String callIdText) {
        JsonNode callId = json(callIdText);
        ObjectNode call = (ObjectNode) json("{'command':'ping','params':{}}");
        call.set("callId", callId);

        tools.onMessage(alice, call);

        assertThat(alice.last().at("/message/callId")).isEqualTo(callId);
    }

    @Test
    void an_error_to_a_call_without_call_id_keeps_call_id_null() {
        tools.onMessage(alice, json("{'command':'fail','params':{}}"));

        assertThat(alice.last())
                .isEqualTo(json("{'service':'tools','message':{'type':'error','callId':null,'message':'Not authorized'}}"));
    }

    @Test
    void an_rpc_exception_is_answered_with_its_error_name() {
        tools.onMessage(alice, json("{'command':'fail','params':{},'callId':5}"));

        assertThat(alice.last())
                .isEqualTo(json("{'service':'tools','message':{'type':'error','callId':5,'message':'Not authorized'}}"));
    }

    @Test
    void an_unknown_command_is_answered_with_unknown_command() {
        tools.onMessage(alice, json("{'command':'launch','params':{},'callId':2}"));

        assertThat(alice.last()).isEqualTo(
                json("{'service':'tools','message':{'type':'error','callId':2,'message':'Unknown command'}}"));
    }

    static Stream<Arguments> paramsThatDoNotBind() {
        return Stream.of(
                Arguments.of("missing key", greet("'name':'a','times':1")),
                Arguments.of("extra key", greet("'name':'a','times':1,'extra':0,'x':0")),
                Arguments.of("number for String", greet("'name':5,'times':1,'extra':0")),
                Arguments.of("boolean for String", greet("'name':true,'times':1,'extra':0")),
                Arguments.of("object for String", greet("'name':{},'times':1,'extra':0")),
                Arguments.of("string for int", greet("'name':'a','times':'1','extra':0")),
                Arguments.of("null for int", greet("'name':'a','times':null,'extra':0")),
                Arguments.of("key for NoParams", "{'command':'ping','params':{'x':1},'callId':1}"),
                Arguments.of("params an array", "{'command':'greet','params':['a',1,0],'callId':1}"),
                Arguments.of("params a string", "{'command':'ping','params':'none','callId':1}"),
                Arguments.of("params null", "{'command':'ping','params':null,'callId':1}"),
                Arguments.of("params missing", "{'command':'ping','callId':1}"));
    }

    private static String greet(String params) {
        return "{'command':'greet','params':{" + params + "},'callId':1}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paramsThatDoNotBind")
    void params_that_do_not_bind_are_answered_with_invalid_params(String why, String call) {
        tools.onMessage(alice, json(call));

        assertThat(alice.messages()).containsExactly(
                json("{'service':'tools','message':{'type':'error','callId':1,'message':'Invalid params'}}"));
        assertThat(tools.commandsRun).isEmpty();
    }

    static Stream<Arguments> messagesThatAreNotCalls() {
        return Stream.of(
                Arguments.of("a string", "'ping'", "null"),
                Arguments.of("an array", "['ping']", "null"),
                Arguments.of("null", "null", "null"),
                Arguments.of("command missing", "{'params':{},'callId':1}", "1"),
                Arguments.of("command a number", "{'command':5,'params':{},'callId':1}", "1"),
                Arguments.of("command null", "{'command':null,'params':{},'callId':'c'}", "'c'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messagesThatAreNotCalls")
    void a_message_that_is_not_an_rpc_call_is_answered_with_invalid_message(String why, String message, String callId) {
        tools.onMessage(alice, json(message));

        JsonNode expected = json("{'service':'tools','message':{'type':'error','message':'Invalid message'}}");
        ((ObjectNode) expected.get("message")).set("callId", json(callId));
        assertThat(alice.messages()).containsExactly(expected);
    }

    @Test
    void params_bind_by_name_to_the_record_components() {
        tools.onMessage(alice, json(greet("'extra':{'k':[1]},'times':2,'name':'hi'")));

        assertThat(alice.last().at("/message/data")).isEqualTo(json("{'text':'hihi','extra':{'k':[1]}}"));
    }

    @Test
    void json_null_binds_to_a_json_node_component_as_null_node() {
        tools.onMessage(alice, json(greet("'name':'a','times':1,'extra':null")));

        assertThat(tools.commandsRun).singleElement()
                .satisfies(params -> assertThat(params.extra()).isSameAs(NullNode.getInstance()));
        assertThat(alice.last().at("/message/data")).isEqualTo(json("{'text':'a','extra':null}"));
    }

    @Test
    void an_async_command_replies_once_time_advances() {
        tools.onMessage(alice, json("{'command':'later','params':{},'callId':3}"));
        loop.advance(Duration.ofMillis(999));
        assertThat(alice.frames()).isEmpty();

        loop.advance(Duration.ofMillis(1));

        assertThat(alice.messages())
                .containsExactly(json("{'service':'tools','message':{'type':'response','callId':3,'data':'done'}}"));
    }

    @Test
    void resolving_a_request_twice_throws() {
        tools.onMessage(alice, json("{'command':'hold','params':{},'callId':4}"));
        Request request = tools.held.get(0);
        request.reply("first");

        assertThatThrownBy(() -> request.reply("second")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> request.error(ErrorName.TIMEOUT)).isInstanceOf(IllegalStateException.class);
        assertThat(alice.messages())
                .containsExactly(json("{'service':'tools','message':{'type':'response','callId':4,'data':'first'}}"));
    }

    @Test
    void a_sync_command_that_resolved_its_request_itself_is_not_answered_again() {
        try (LogCapture logs = LogCapture.of(RpcService.class)) {
            tools.onMessage(alice, json("{'command':'refuse','params':{},'callId':8}"));

            assertThat(alice.messages()).containsExactly(
                    json("{'service':'tools','message':{'type':'error','callId':8,'message':'Not joined'}}"));
            assertThat(logs.events()).isEmpty(); // the return value is dropped quietly, not a failed second reply
        }
    }

    @Test
    void a_runtime_exception_is_answered_with_internal_error_and_logged() {
        try (LogCapture logs = LogCapture.of(RpcService.class)) {
            tools.onMessage(alice, json("{'command':'crash','params':{},'callId':6}"));

            assertThat(alice.last()).isEqualTo(
                    json("{'service':'tools','message':{'type':'error','callId':6,'message':'Internal error'}}"));
            assertThat(logs.at(Level.ERROR)).singleElement()
                    .satisfies(event -> assertThat(event.getThrowableProxy().getMessage()).isEqualTo("bug"));
        }
    }

    @Test
    void error_replies_are_counted_by_service_and_error_name() {
        tools.onMessage(alice, json("{'command':'fail','params':{}}"));
        tools.onMessage(alice, json("{'command':'fail','params':{}}"));
        tools.onMessage(alice, json("{'command':'launch','params':{}}"));
        tools.onMessage(alice, json("'not a call'"));
        tools.onMessage(alice, json("{'command':'ping','params':{}}"));

        var meters = context.metrics().registry();
        assertThat(count(meters, "broker.rpc.errors", "service", "tools", "error", "Not authorized")).isEqualTo(2.0);
        assertThat(count(meters, "broker.rpc.errors", "service", "tools", "error", "Unknown command")).isEqualTo(1.0);
        assertThat(count(meters, "broker.rpc.errors", "service", "tools", "error", "Invalid message")).isEqualTo(1.0);
        assertThat(meters.find("broker.rpc.errors").counters()).hasSize(3);
    }

    @Test
    void a_subclass_keeps_its_parents_commands_and_adds_its_own() {
        LoudToolService loud = new LoudToolService(context);

        loud.onMessage(alice, json("{'command':'ping','params':{},'callId':1}"));
        loud.onMessage(alice, json("{'command':'shout','params':{},'callId':2}"));
        tools.onMessage(alice, json("{'command':'shout','params':{},'callId':3}"));

        assertThat(alice.messages())
                .extracting(frame -> frame.at("/message/data").asText() + frame.at("/message/message").asText())
                .containsExactly("pong", "PONG", "Unknown command");
        assertThat(loud.commands().names()).containsAll(tools.commands().names()).contains("shout");
    }

    @Test
    void declaring_a_command_twice_throws() {
        assertThatThrownBy(() -> new RpcService("twice", context) {
                    {
                        commands().add("ping", NoParams.class, (request, params) -> "a");
                        commands().add("ping", NoParams.class, (request, params) -> "b");
                    }
                })
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ping");
    }

    record Greet(String name, int times, JsonNode extra) {}

    record Greeting(String text, JsonNode extra) {}

    /** A service with one command per behaviour under test, like Snorky's test services. */
    private static class ToolService extends RpcService {
        final List<Greet> commandsRun = new ArrayList<>();
        final List<Request> held = new ArrayList<>();

        ToolService(String name, ServiceContext context) {
            super(name, context);
            commands()
                    .add("ping", NoParams.class, (request, params) -> "pong")
                    .add("greet", Greet.class, this::greet)
                    .add("fail", NoParams.class, (request, params) -> {
                        throw new RpcException(ErrorName.NOT_AUTHORIZED);
                    })
                    .add("crash", NoParams.class, (request, params) -> {
                        throw new IllegalStateException("bug");
                    })
                    .add("refuse", NoParams.class, (request, params) -> {
                        request.error(ErrorName.NOT_JOINED);
                        return "ignored";
                    })
                    .addAsync("later", NoParams.class, (request, params) ->
                            context.loop().schedule(Duration.ofSeconds(1), () -> request.reply("done")))
                    .addAsync("hold", NoParams.class, (request, params) -> held.add(request));
        }

        private Object greet(Request request, Greet params) {
            commandsRun.add(params);
            return new Greeting(params.name().repeat(params.times()), params.extra());
        }
    }

    /** Snorky's test_rpc_magic: a subclass inherits the command whitelist. */
    private static final class LoudToolService extends ToolService {
        LoudToolService(ServiceContext context) {
            super("loud", context);
            commands().add("shout", NoParams.class, (request, params) -> "PONG");
        }
    }
}
