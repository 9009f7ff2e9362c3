package io.squall.core;

import static io.squall.core.testing.Jsons.json;
import static io.squall.core.testing.Meters.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.loop.Cancellable;
import io.squall.core.loop.EventLoop;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Decoded;
import io.squall.core.protocol.Envelope;
import io.squall.core.testing.LogCapture;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.ServiceContexts;
import io.squall.core.testing.WireFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class ServiceRegistryTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop);
    private final ServiceRegistry registry = new ServiceRegistry("public", context);
    private final RecordingService echo = new RecordingService("echo");
    private final RecordingService chat = new RecordingService("chat");
    private final RecordingClient alice = new RecordingClient("alice");

    ServiceRegistryTest() {
        registry.register(echo);
        registry.register(chat);
    }

    @Test
    void dispatch_hands_the_message_to_the_named_service_only() {
        registry.dispatch(alice, new Envelope("chat", json("{'command':'join','callId':1}")));

        assertThat(chat.events).containsExactly("message alice {\"command\":\"join\",\"callId\":1}");
        assertThat(echo.events).isEmpty();
        assertThat(alice.frames()).isEmpty();
    }

    @Test
    void an_unknown_service_is_answered_with_unknown_service_addressed_to_that_name() {
        registry.dispatch(alice, new Envelope("nope", json("{'command':'x','params':{},'callId':3}")));

        assertThat(alice.messages()).containsExactly(WireFixtures.tree("error-unknown-service"));
        assertThat(count(context.metrics().registry(), "broker.frames.rejected", "error", "Unknown service"))
                .isEqualTo(1.0);
    }

    @Test
    void an_unknown_service_without_call_id_is_answered_with_call_id_null() {
        registry.dispatch(alice, new Envelope("nope", json("'hello'")));

        assertThat(alice.last()).isEqualTo(
                json("{'service':'nope','message':{'type':'error','callId':null,'message':'Unknown service'}}"));
    }

    @Test
    void an_unregistered_service_is_unknown() {
        registry.unregister("echo");

        registry.dispatch(alice, new Envelope("echo", json("{'callId':9}")));

        assertThat(echo.events).isEmpty();
        assertThat(alice.last().at("/message/message").asText()).isEqualTo("Unknown service");
    }

    @Test
    void connected_reaches_every_service_once_even_when_reported_twice() {
        registry.connected(alice);
        registry.connected(alice);

        assertThat(echo.events).containsExactly("connect alice");
        assertThat(chat.events).containsExactly("connect alice");
        assertThat(registry.clients()).containsExactly(alice);
    }

    @Test
    void disconnected_reaches_every_service_once_and_a_second_report_is_a_no_op() {
        registry.connected(alice);

        registry.disconnected(alice);
        registry.disconnected(alice);

        assertThat(echo.events).containsExactly("connect alice", "disconnect alice");
        assertThat(chat.events).containsExactly("connect alice", "disconnect alice");
        assertThat(registry.clientCount()).isZero();
    }

    @Test
    void a_service_failing_on_disconnect_does_not_keep_the_others_from_cleaning_up() {
        ServiceRegistry failingFirst = new ServiceRegistry("public", context);
        failingFirst.register(new FailingService("broken"));
        failingFirst.register(echo);
        failingFirst.connected(alice);

        try (LogCapture logs = LogCapture.of(ServiceRegistry.class)) {
            failingFirst.disconnected(alice);

            assertThat(echo.events).containsExactly("connect alice", "disconnect alice");
            assertThat(logs.at(Level.ERROR)).hasSize(1);
        }
    }

    @Test
    void a_service_that_throws_is_answered_with_internal_error_and_the_registry_keeps_working() {
        registry.register(new FailingService("broken"));

        try (LogCapture logs = LogCapture.of(ServiceRegistry.class)) {
            registry.dispatch(alice, new Envelope("broken", json("{'command':'x','callId':4}")));
            registry.dispatch(alice, new Envelope("echo", json("'still here'")));

            assertThat(alice.messages()).containsExactly(
                    json("{'service':'broken','message':{'type':'error','callId':4,'message':'Internal error'}}"));
            assertThat(echo.events).containsExactly("message alice \"still here\"");
            assertThat(logs.at(Level.ERROR))
                    .singleElement()
                    .satisfies(event ->
                            assertThat(event.getThrowableProxy().getMessage()).isEqualTo("broken on purpose"));
        }
    }

    @Test
    void registering_a_second_service_with_the_same_name_throws() {
        assertThatThrownBy(() -> registry.register(new RecordingService("echo")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("echo");
        assertThat(registry.service("echo")).containsSame(echo);
    }

    @Test
    void messages_in_are_counted_per_service() {
        registry.dispatch(alice, new Envelope("echo", json("1")));
        registry.dispatch(alice, new Envelope("echo", json("2")));
        registry.dispatch(alice, new Envelope("chat", json("3")));

        assertThat(count(context.metrics().registry(), "broker.messages.in", "service", "echo")).isEqualTo(2.0);
        assertThat(count(context.metrics().registry(), "broker.messages.in", "service", "chat")).isEqualTo(1.0);
    }

    @Test
    void reject_sends_the_decoded_reply_and_counts_it() {
        Decoded.Rejected rejected = (Decoded.Rejected) context.codec().decode("not json");

        registry.reject(alice, rejected);

        assertThat(alice.messages()).containsExactly(WireFixtures.tree("error-invalid-json"));
        assertThat(count(context.metrics().registry(), "broker.frames.rejected", "error", "Invalid JSON"))
                .isEqualTo(1.0);
    }

    @Test
    void dispatch_off_the_loop_thread_throws() {
        ServiceRegistry offLoop = new ServiceRegistry("public", ServiceContexts.create(new OffLoopEventLoop(loop)));
        offLoop.register(echo);

        assertThatThrownBy(() -> offLoop.dispatch(alice, new Envelope("echo", json("1"))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(echo.events).isEmpty();
    }

    @Test
    void connected_off_the_loop_thread_throws() {
        ServiceRegistry offLoop = new ServiceRegistry("public", ServiceContexts.create(new OffLoopEventLoop(loop)));
        offLoop.register(echo);

        assertThatThrownBy(() -> offLoop.connected(alice)).isInstanceOf(IllegalStateException.class);
        assertThat(echo.events).isEmpty();
    }

    /** Writes down every callback as one line. */
    @Test
    void connect_and_disconnect_reach_services_that_override_them_also_through_a_superclass_and_not_after_unregister() {
        class Inherited extends RecordingService {
            Inherited() {
                super("inherited");
            }
        }
        Inherited inherited = new Inherited();
        registry.register(new Service() { // stateless: keeps the interface's no-op defaults
            @Override
            public String name() {
                return "stateless";
            }

            @Override
            public void onMessage(Client client, JsonNode message) {
            }
        });
        registry.register(inherited);

        registry.connected(alice);
        registry.unregister("chat");
        registry.disconnected(alice);

        assertThat(inherited.events).containsExactly("connect alice", "disconnect alice");
        assertThat(echo.events).containsExactly("connect alice", "disconnect alice");
        assertThat(chat.events).containsExactly("connect alice");
    }

    private static class RecordingService implements Service {
        private final String name;
        final List<String> events = new ArrayList<>();

        RecordingService(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void onMessage(Client client, JsonNode message) {
            events.add("message " + client.describe().replace("test:", "") + " " + message);
        }

        @Override
        public void onConnect(Client client) {
            events.add("connect " + client.describe().replace("test:", ""));
        }

        @Override
        public void onDisconnect(Client client) {
            events.add("disconnect " + client.describe().replace("test:", ""));
        }
    }

    /** A service with a bug: it throws from every callback. */
    private static final class FailingService extends RecordingService {
        FailingService(String name) {
            super(name);
        }

        @Override
        public void onMessage(Client client, JsonNode message) {
            throw new IllegalStateException("broken on purpose");
        }

        @Override
        public void onDisconnect(Client client) {
            throw new IllegalStateException("broken on purpose");
        }
    }

    /** Says every caller is off the loop thread, as a transport's IO thread would be. */
    private record OffLoopEventLoop(EventLoop delegate) implements EventLoop {
        @Override
        public boolean inLoop() {
            return false;
        }

        @Override
        public void execute(Runnable task) {
            delegate.execute(task);
        }

        @Override
        public void executeCritical(Runnable task) {
            delegate.executeCritical(task);
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return delegate.schedule(delay, task);
        }

        @Override
        public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
            return delegate.scheduleAtFixedRate(initialDelay, period, task);
        }

        @Override
        public <T> void runBlocking(Callable<T> work, BiConsumer<? super T, ? super Throwable> onLoop) {
            delegate.runBlocking(work, onLoop);
        }

        @Override
        public long nanoTime() {
            return delegate.nanoTime();
        }
    }
}
