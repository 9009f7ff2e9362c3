package io.squall.core.service.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.Client;
import io.squall.api.JsonKey;
import io.squall.core.lifecycle.LifecycleEvents;
import io.squall.core.testing.RecordingClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lifecycle seam: what the registry and PubSub tell the webhooks, in order, and only what really happened. */
class PubSubLifecycleTest extends PubSubFixture {
    private final List<String> told = new ArrayList<>();

    private final class Recorder implements LifecycleEvents {
        @Override
        public void connected(Client client) {
            told.add("connected " + client.describe());
        }

        @Override
        public void disconnected(Client client) {
            told.add("disconnected " + client.describe());
        }

        @Override
        public void subscribed(String service, JsonKey channel, Client client) {
            told.add("subscribed " + service + " " + channel.canonicalText() + " " + client.describe());
        }

        @Override
        public void unsubscribed(String service, JsonKey channel, Client client) {
            told.add("unsubscribed " + service + " " + channel.canonicalText() + " " + client.describe());
        }
    }

    @BeforeEach
    void wire() {
        start(ChannelPolicy.open(true));
        Recorder recorder = new Recorder();
        registry.lifecycle(recorder);
        pubsub.lifecycle(recorder);
    }

    @Test
    void subscriptions_connects_and_disconnects_are_told_in_order() {
        RecordingClient dave = new RecordingClient("dave");
        registry.connected(dave);
        subscribe(dave, "'a'");
        subscribe(dave, "'b'");
        unsubscribe(dave, "'a'");
        registry.disconnected(dave);
        assertThat(told).containsExactly("connected test:dave", "subscribed pubsub \"a\" test:dave",
                "subscribed pubsub \"b\" test:dave", "unsubscribed pubsub \"a\" test:dave",
                "unsubscribed pubsub \"b\" test:dave",
                "disconnected test:dave");
    }

    @Test
    void a_refused_subscribe_and_an_unsubscribe_of_nothing_tell_nothing() {
        subscribe(alice, "'a'");
        told.clear();
        call(alice, "{\"command\":\"subscribe\",\"params\":{\"channel\":\"a\"},\"callId\":1}");
        call(alice, "{\"command\":\"unsubscribe\",\"params\":{\"channel\":\"zzz\"},\"callId\":2}");
        assertThat(told).isEmpty();
    }
}
