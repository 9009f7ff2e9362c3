package io.squall.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.squall.api.Caller;
import io.squall.api.Channels;
import io.squall.api.NoParams;
import io.squall.api.Registry;
import io.squall.api.ServiceSetup;
import io.squall.api.SquallService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kit drives a service as the broker would: its calls, its timers on virtual time, its pool, its clients. */
class ServiceTesterTest {
    /** A small service with one of each: a sync and an async command, a pool job, a periodic publication. */
    static final class Counter implements SquallService {
        record AddParams(int n) {}

        private final List<Caller> callers = new ArrayList<>();
        private int total;
        private int ticks;

        @Override
        public String name() {
            return "counter";
        }

        @Override
        public void setUp(ServiceSetup setup) {
            Channels channels = setup.channels();
            setup.command("add", AddParams.class, (call, params) -> total += params.n())
                    .command("whoami", NoParams.class, (call, params) -> call.caller().requireIdentity())
                    .asyncCommand("later", NoParams.class, (call, params) ->
                            setup.loop().runLater(Duration.ofSeconds(1), () -> call.reply("late")))
                    .asyncCommand("square", AddParams.class, (call, params) ->
                            setup.loop().runOnExecutor(() -> params.n() * params.n(), call::complete))
                    .asyncCommand("recent", AddParams.class, (call, params) ->
                            channels.history("ticks", params.n(), (history, error) -> {
                                if (error != null) {
                                    call.fail(error);
                                } else {
                                    call.reply(history.publications().stream().map(e -> e.offset() + ":" + e.data())
                                            .toList());
                                }
                            }));
            setup.loop().runPeriodically(Duration.ofSeconds(1), () -> channels.publish("ticks", ++ticks));
        }

        @Override
        public void onConnect(Caller caller) {
            callers.add(caller);
        }

        @Override
        public void onDisconnect(Caller caller) {
            callers.remove(caller);
            callers.forEach(other -> other.notify("someone left"));
        }
    }

    private final ServiceTester tester = ServiceTester.start(Registry.PUBLIC, new Counter());

    @AfterEach
    void stop() {
        tester.close();
    }

    @Test
    void commandsAreAnsweredWithTheBrokersFramesAndErrorNames() {
        TestClient alice = tester.connect("alice");
        assertThat(tester.call(alice, "counter", "add", "{\"n\":2}").path("data").asInt()).isEqualTo(2);
        assertThat(tester.call(alice, "counter", "add", "{\"n\":3}").path("data").asInt()).isEqualTo(5);
        JsonNode invalid = tester.call(alice, "counter", "add", "{\"m\":3}");
        assertThat(invalid.path("type").asText()).isEqualTo("error");
        assertThat(invalid.path("message").asText()).isEqualTo("Invalid params");
        assertThat(tester.call(alice, "counter", "nope", "{}").path("message").asText()).isEqualTo("Unknown command");
        assertThat(tester.call(alice, "counter", "whoami", "{}").path("message").asText())
                .isEqualTo("Not authenticated");
        assertThat(alice.messages()).hasSize(5);
    }

    @Test
    void theIdentityAndTheRegistryAreTheTests() {
        TestClient bob = tester.connect(Registry.PUBLIC, "bob", TextNode.valueOf("bob"));
        assertThat(tester.call(bob, "counter", "whoami", "{}").path("data").asText()).isEqualTo("bob");
        TestClient backend = tester.connect(Registry.PRIVATE, "backend", null);
        assertThat(tester.call(backend, "counter", "add", "{\"n\":1}").path("message").asText())
                .as("the service joined the public registry only").isEqualTo("Unknown service");
    }

    @Test
    void timersWaitForVirtualTimeAndPoolJobsForRunPending() {
        TestClient alice = tester.connect("alice");
        assertThat(tester.call(alice, "counter", "later", "{}")).isNull();
        int later = tester.lastCallId();
        tester.advance(Duration.ofMillis(999));
        assertThat(alice.reply(later)).isNull();
        tester.advance(Duration.ofMillis(1));
        assertThat(alice.reply(later).path("data").asText()).isEqualTo("late");
        assertThat(tester.call(alice, "counter", "square", "{\"n\":7}").path("data").asInt()).isEqualTo(49);
    }

    @Test
    void periodicPublicationsAreRecordedAndStopWithTheService() {
        tester.advance(Duration.ofSeconds(3));
        assertThat(tester.published()).extracting(Publication::toString).containsExactly("ticks 1", "ticks 2",
                "ticks 3");
        tester.stop();
        tester.advance(Duration.ofSeconds(3));
        assertThat(tester.published()).hasSize(3);
    }

    @Test
    void whatAServicePublishedIsItsChannelsHistory() {
        TestClient alice = tester.connect("alice");
        tester.advance(Duration.ofSeconds(3));
        assertThat(tester.call(alice, "counter", "recent", "{\"n\":2}").path("data").toString())
                .isEqualTo("[\"2:2\",\"3:3\"]");
    }

    @Test
    void aDisconnectReachesTheService() {
        TestClient alice = tester.connect("alice");
        TestClient bob = tester.connect("bob");
        tester.disconnect(bob);
        assertThat(alice.last().path("message").asText()).isEqualTo("someone left");
        assertThatThrownBy(() -> tester.call(bob, "counter", "add", "{\"n\":1}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not connected");
    }
}
