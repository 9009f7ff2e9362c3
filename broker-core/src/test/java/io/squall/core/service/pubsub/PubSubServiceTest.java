package io.squall.core.service.pubsub;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.testing.PubSubs;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.api.JsonKey;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Decoded;
import io.squall.core.protocol.EncodedMessage;
import io.squall.core.protocol.Envelope;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.ServiceContexts;
import io.squall.core.testing.WireFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mirrors Snorky's tests/test_pubsub.py, plus Squall's channel policy and subscription cap. */
class PubSubServiceTest {
    private static final int CAP = 100;

    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop);
    private final RecordingClient alice = new RecordingClient("alice");
    private final RecordingClient bob = new RecordingClient("bob");
    private final RecordingClient carol = new RecordingClient("carol");
    private PubSubService pubsub;
    private ServiceRegistry registry;

    @BeforeEach
    void start() {
        start(ChannelPolicy.open(true), CAP);
    }

    private void start(ChannelPolicy policy, int cap) {
        pubsub = PubSubs.memory("pubsub", context, policy, cap);
        registry = new ServiceRegistry("public", context);
        registry.register(pubsub);
        registry.connected(alice);
        registry.connected(bob);
        registry.connected(carol);
    }

    @Test
    void subscribe_replies_data_null_with_the_call_id() {
        call(alice, "{'command':'subscribe','params':{'channel':'news'},'callId':0}");

        assertThat(alice.messages()).containsExactly(WireFixtures.tree("response-with-call-id"));
        assertThat(pubsub.subscriberCount(json("'news'"))).isEqualTo(1);
    }

    @Test
    void subscribing_twice_is_answered_already_subscribed() {
        subscribe(alice, "'news'");

        call(alice, "{'command':'subscribe','params':{'channel':'news'},'callId':1}");

        assertThat(alice.last()).isEqualTo(WireFixtures.tree("error-with-call-id"));
        assertThat(pubsub.subscriberCount(json("'news'"))).isEqualTo(1);
    }

    @Test
    void a_publication_to_a_thousand_subscribers_is_encoded_once_and_the_same_bytes_go_to_all() {
        List<RecordingClient> subscribers = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            RecordingClient subscriber = new RecordingClient("s" + i);
            registry.connected(subscriber);
            subscribe(subscriber, "'wide'");
            subscribers.add(subscriber);
        }

        pubsub.publish(json("'wide'"), json("{'n':1}"));

        EncodedMessage first = subscribers.get(0).frames().get(0);
        assertThat(subscribers).allSatisfy(s -> assertThat(s.frames()).singleElement().isSameAs(first));
        assertThat(subscribers.get(999).last().at("/message/message/n").asInt()).isEqualTo(1);
    }

    @Test
    void unsubscribe_stops_delivery() {
        subscribe(alice, "'news'");

        call(alice, "{'command':'unsubscribe','params':{'channel':'news'},'callId':2}");
        pubsub.publish(json("'news'"), json("'hello'"));

        assertThat(alice.drain())
                .containsExactly(json("{'service':'pubsub','message':{'type':'response','callId':2,'data':null}}"));
        assertThat(pubsub.channelCount()).isZero();
    }

    @Test
    void ping_is_answered_null_and_changes_nothing() {
        call(alice, "{'command':'ping','params':{},'callId':7}");

        assertThat(alice.drain())
                .containsExactly(json("{'service':'pubsub','message':{'type':'response','callId':7,'data':null}}"));
        assertThat(pubsub.channelCount()).isZero();
    }

    @Test
    void unsubscribing_when_not_subscribed_is_answered_not_subscribed() {
        call(alice, "{'command':'unsubscribe','params':{'channel':'news'}}");

        assertThat(alice.messages()).containsExactly(WireFixtures.tree("error-with-null-call-id"));
    }

    @Test
    void a_publication_reaches_every_subscriber_including_the_publisher() {
        subscribe(alice, "'news'");
        subscribe(bob, "'news'");

        call(alice, "{'command':'publish','params':{'channel':'news','message':'hello'},'callId':2}");

        JsonNode notification = WireFixtures.tree("notification-pubsub-message");
        assertThat(alice.messages()).containsExactly(
                notification, json("{'service':'pubsub','message':{'type':'response','callId':2,'data':null}}"));
        assertThat(bob.messages()).containsExactly(notification);
        assertThat(carol.frames()).isEmpty();
    }

    @Test
    void a_publication_on_a_channel_without_subscribers_only_answers_the_publisher() {
        subscribe(bob, "'sport'");

        call(alice, "{'command':'publish','params':{'channel':'news','message':'hello'},'callId':2}");

        assertThat(alice.messages()).extracting(frame -> frame.at("/message/type").asText())
                .containsExactly("response");
        assertThat(bob.frames()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{'a':1,'b':2}     | {'b':2,'a':1.0}",
        "[1,'x',{'k':[]}]  | [1e0,'x',{'k':[]}]",
        "7                 | 7.00",
        "{'room':[1,2]}    | {'room':[1,2.0]}"
    })
    void a_publication_reaches_a_channel_that_is_structurally_equal(String subscribedTo, String publishedTo) {
        subscribe(alice, subscribedTo);

        publishFrom(bob, publishedTo, "'hi'");

        assertThat(alice.messages()).singleElement().satisfies(frame -> {
            assertThat(frame.at("/message/type").asText()).isEqualTo("message");
            assertThat(frame.at("/message/channel")).isEqualTo(json(publishedTo)); // as the publisher wrote it
            assertThat(frame.at("/message/message")).isEqualTo(json("'hi'"));
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "'1'     | 1",
        "[1,2]   | [2,1]",
        "{'a':1} | {'a':1,'b':null}",
        "1       | 1.5"
    })
    void a_publication_does_not_reach_a_different_channel(String subscribedTo, String publishedTo) {
        subscribe(alice, subscribedTo);

        publishFrom(bob, publishedTo, "'hi'");

        assertThat(alice.frames()).isEmpty();
    }

    @Test
    void publish_is_answered_not_authorized_when_clients_may_not_publish() {
        start(ChannelPolicy.open(false), CAP);
        subscribe(alice, "'news'");

        call(bob, "{'command':'publish','params':{'channel':'news','message':'hello'},'callId':3}");

        assertThat(bob.last()).isEqualTo(
                json("{'service':'pubsub','message':{'type':'error','callId':3,'message':'Not authorized'}}"));
        assertThat(alice.frames()).isEmpty();
    }

    @Test
    void subscribe_is_answered_not_authorized_when_the_policy_denies_it() {
        start(new DenySubscribe("secret"), CAP);

        call(alice, "{'command':'subscribe','params':{'channel':'secret'},'callId':4}");

        assertThat(alice.last().at("/message/message").asText()).isEqualTo("Not authorized");
        assertThat(pubsub.subscriberCount(json("'secret'"))).isZero();
    }

    @Test
    void the_backend_publishes_past_the_policy_and_is_answered_data_null() {
        start(ChannelPolicy.open(false), CAP);
        ServiceRegistry backend = new ServiceRegistry("private", context);
        backend.register(new PubSubBackendService("pubsub_backend", context, pubsub));
        RecordingClient webApp = new RecordingClient("web-app");
        subscribe(alice, "'announcements'");
        Decoded request = context.codec().decode(WireFixtures.text("request-without-call-id"));

        backend.dispatch(webApp, ((Decoded.Ok) request).envelope());

        assertThat(webApp.messages()).containsExactly(WireFixtures.tree("response-without-call-id"));
        assertThat(alice.messages()).containsExactly(
                json("{'service':'pubsub','message':{'type':'message','channel':'announcements','message':'Hello'}}"));
    }

    @Test
    void every_subscriber_is_handed_the_same_encoded_frame() {
        subscribe(alice, "'news'");
        subscribe(bob, "'news'");
        subscribe(carol, "'news'");

        pubsub.publish(json("'news'"), json("{'headline':'one encode'}"));

        EncodedMessage frame = alice.frames().get(0);
        assertThat(bob.frames()).singleElement().isSameAs(frame);
        assertThat(carol.frames()).singleElement().isSameAs(frame);
    }

    @Test
    void subscribing_past_the_cap_is_answered_too_many_subscriptions() {
        start(ChannelPolicy.open(true), 2);
        subscribe(alice, "'one'");
        subscribe(alice, "'two'");

        call(alice, "{'command':'subscribe','params':{'channel':'three'},'callId':5}");

        assertThat(alice.last()).isEqualTo(
                json("{'service':'pubsub','message':{'type':'error','callId':5,'message':'Too many subscriptions'}}"));
        assertThat(pubsub.subscriberCount(json("'three'"))).isZero();
    }

    @Test
    void the_cap_counts_each_client_separately_and_unsubscribing_frees_a_slot() {
        start(ChannelPolicy.open(true), 1);
        subscribe(alice, "'one'");
        subscribe(bob, "'one'");

        call(alice, "{'command':'unsubscribe','params':{'channel':'one'}}");
        alice.drain();
        subscribe(alice, "'two'");

        assertThat(pubsub.subscriberCount(json("'two'"))).isEqualTo(1);
    }

    @Test
    void disconnect_removes_every_subscription_of_the_client() {
        subscribe(alice, "'news'");
        subscribe(alice, "{'room':1}");
        subscribe(alice, "[1,2]");

        registry.disconnected(alice);
        publishFrom(bob, "'news'", "'hello'");
        publishFrom(bob, "{'room':1}", "'hello'");

        assertThat(pubsub.channelCount()).isZero();
        assertThat(pubsub.subscribedClientCount()).isZero();
        assertThat(alice.frames()).isEmpty();
    }

    @Test
    void disconnect_keeps_the_other_clients_subscriptions() {
        subscribe(alice, "'news'");
        subscribe(bob, "'news'");

        registry.disconnected(alice);
        pubsub.publish(json("'news'"), json("'hello'"));

        assertThat(bob.messages()).containsExactly(WireFixtures.tree("notification-pubsub-message"));
        assertThat(pubsub.subscribedClientCount()).isEqualTo(1);
    }

    @Test
    void a_null_message_is_delivered_as_null() {
        subscribe(alice, "'news'");

        publishFrom(bob, "'news'", "null");

        assertThat(alice.last())
                .isEqualTo(json("{'service':'pubsub','message':{'type':'message','channel':'news','message':null}}"));
    }

    @Test
    void publish_without_a_message_is_answered_invalid_params() {
        subscribe(alice, "'news'");

        call(bob, "{'command':'publish','params':{'channel':'news'},'callId':6}");

        assertThat(bob.last().at("/message/message").asText()).isEqualTo("Invalid params");
        assertThat(alice.frames()).isEmpty();
    }

    @Test
    void a_channel_too_large_for_a_double_can_be_subscribed_and_published_to() {
        call(alice, "{'command':'subscribe','params':{'channel':1e400},'callId':7}");

        publishFrom(bob, "1e400", "'big'");

        assertThat(alice.messages()).extracting(frame -> frame.at("/message/type").asText())
                .containsExactly("response", "message");
    }

    // ---- helpers

    private void call(Client client, String message) {
        registry.dispatch(client, new Envelope("pubsub", json(message)));
    }

    /** Subscribes and forgets the reply, which must be a success. */
    private void subscribe(RecordingClient client, String channel) {
        ObjectNode message = (ObjectNode) json("{'command':'subscribe','params':{}}");
        ((ObjectNode) message.get("params")).set("channel", json(channel));
        registry.dispatch(client, new Envelope("pubsub", message));
        assertThat(client.drain()).extracting(frame -> frame.at("/message/type").asText()).containsExactly("response");
    }

    /** Publishes as a client and forgets the publisher's own frames. */
    private void publishFrom(RecordingClient publisher, String channel, String payload) {
        ObjectNode message = (ObjectNode) json("{'command':'publish','params':{}}");
        ((ObjectNode) message.get("params")).set("channel", json(channel));
        ((ObjectNode) message.get("params")).set("message", json(payload));
        registry.dispatch(publisher, new Envelope("pubsub", message));
        publisher.drain();
    }

    /** Lets everyone publish but nobody subscribe to one channel. */
    private record DenySubscribe(String forbidden) implements ChannelPolicy {
        @Override
        public boolean maySubscribe(Client client, JsonKey channel) {
            return !channel.equals(JsonKey.of(forbidden));
        }

        @Override
        public boolean mayPublish(Client client, JsonKey channel) {
            return true;
        }

        @Override
        public boolean mayReadHistory(Client client, JsonKey channel) {
            return true;
        }

        @Override
        public boolean mayReadPresence(Client client, JsonKey channel) {
            return true;
        }
    }
}
