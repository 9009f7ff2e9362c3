package io.squall.core.service.pubsub;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.broker.MemoryBroker;
import io.squall.api.JsonKey;
import io.squall.core.testing.FaultyBroker;
import io.squall.core.testing.PubSubs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine down ({@code Unavailable}: the call did nothing) and slow to confirm this node's subscription, injected
 * around the real memory engine: every failure is answered, and nothing is left half subscribed.
 */
class PubSubEngineFailureTest extends PubSubFixture {
    private FaultyBroker broker;

    @BeforeEach
    void start() {
        broker = new FaultyBroker(() -> new MemoryBroker(loop, HISTORY));
        start(broker, ChannelPolicy.open(true), PubSubs.settings(RULES, MAX_RECOVERED));
    }

    // ---- the engine down

    @Test
    void a_subscribe_while_the_engine_is_down_is_answered_unavailable_and_a_retry_later_works() {
        broker.unavailable(true);

        assertThat(error(alice, "subscribe", params("'room:1'"))).isEqualTo("Unavailable");
        assertNothingLeft();

        broker.unavailable(false);
        subscribe(alice, "'room:1'");
        publish("'room:1'", "'m1'");
        assertThat(summary(alice.drain())).containsExactly("message m1");
    }

    @Test
    void every_subscriber_waiting_on_a_link_that_fails_is_answered_unavailable() {
        broker.holdSubscribes();
        call(alice, "subscribe", params("'room:1'"));
        call(bob, "subscribe", json("{'channel':'room:1','recoverable':false}"));
        call(carol, "subscribe", json("{'channel':'news:1','recoverable':true}"));
        assertThat(alice.frames()).isEmpty();

        broker.unavailable(true);
        broker.releaseSubscribes();

        for (var client : List.of(alice, bob, carol)) {
            assertThat(client.drain()).singleElement()
                    .satisfies(frame -> assertThat(frame.at("/message/message").asText()).isEqualTo("Unavailable"));
        }
        assertNothingLeft();
    }

    @Test
    void a_positioned_subscribe_whose_history_read_fails_is_answered_unavailable_and_leaves_nothing() {
        subscribe(bob, "'news:2'");
        broker.holdHistoryReads();
        call(alice, "subscribe", json("{'channel':'news:1','recoverable':true}"));

        broker.unavailable(true);
        broker.releaseHistoryReads();

        assertThat(alice.drain()).singleElement()
                .satisfies(frame -> assertThat(frame.at("/message/message").asText()).isEqualTo("Unavailable"));
        assertThat(pubsub.subscriberCount(json("'news:1'"))).isZero();
        assertThat(pubsub.linkedChannels()).containsExactly(JsonKey.of("news:2"));
        assertThat(broker.engine().subscribedChannels()).containsExactly(JsonKey.of("news:2"));
        broker.unavailable(false);
        assertThat(ask(bob, "presence_stats", json("{'channel':'news:1'}"))).isEqualTo(json("{'clients':0,'users':0}"));
    }

    @Test
    void a_client_publish_while_the_engine_is_down_is_answered_unavailable_and_publishes_nothing() {
        subscribeRecoverable(bob, "'news:1'");
        broker.unavailable(true);

        assertThat(error(alice, "publish", json("{'channel':'news:1','message':'lost'}"))).isEqualTo("Unavailable");

        broker.unavailable(false);
        assertThat(bob.frames()).isEmpty();
        publish("'news:1'", "'m1'");
        assertThat(summary(bob.drain())).as("the offset was not used").containsExactly("message 1");
    }

    @Test
    void a_backend_publish_while_the_engine_is_down_is_answered_unavailable_and_its_retry_publishes_once() {
        subscribe(alice, "'news:1'");
        String publish = "{'command':'publish','params':{'channel':'news:1','message':'m','idempotencyKey':'k'},"
                + "'callId':1}";
        broker.unavailable(true);

        assertThat(backendAsk(publish)).isEqualTo(json("{'type':'error','callId':1,'message':'Unavailable'}"));

        broker.unavailable(false);
        JsonNode first = backendAsk(publish);
        JsonNode retry = backendAsk(publish);
        assertThat(first.at("/data/offset").asLong()).isEqualTo(1);
        assertThat(retry).isEqualTo(first);
        assertThat(summary(alice.drain())).containsExactly("message m");
    }

    @Test
    void an_in_process_publish_the_engine_refused_is_counted() {
        broker.unavailable(true);

        pubsub.publish(json("'news:1'"), json("'lost'"));

        assertThat(context.metrics().registry().get("broker.pubsub.publish.failures").counter().count())
                .isEqualTo(1);
    }

    @Test
    void history_while_the_engine_is_down_is_answered_unavailable() {
        broker.unavailable(true);

        assertThat(error(alice, "history", json("{'channel':'news:1'}"))).isEqualTo("Unavailable");
        assertThat(backendAsk("{'command':'history','params':{'channel':'news:1'}}").get("message").asText())
                .isEqualTo("Unavailable");
    }

    @Test
    void a_position_check_that_cannot_read_ends_nothing() {
        subscribeRecoverable(alice, "'news:1'");
        publish("'news:1'", "'m1'");
        alice.drain();
        broker.unavailable(true);

        loop.advance(Duration.ofSeconds(40).multipliedBy(3));
        broker.interruptDelivery();
        loop.advance(Duration.ofSeconds(1));

        broker.unavailable(false);
        publish("'news:1'", "'m2'");
        assertThat(summary(alice.drain())).containsExactly("message 2");
    }

    // ---- a link not confirmed yet

    @Test
    void publications_before_the_link_is_confirmed_are_not_delivered_and_the_reply_comes_with_the_link() {
        broker.holdSubscribes();
        call(alice, "{'command':'subscribe','params':{'channel':'news:1','recoverable':true},'callId':1}");
        call(bob, "{'command':'subscribe','params':{'channel':'news:1'},'callId':2}");
        publish("'news:1'", "'m1'");
        assertThat(alice.frames()).isEmpty();
        assertThat(bob.frames()).isEmpty();

        broker.releaseSubscribes();
        publish("'news:1'", "'m2'");

        List<JsonNode> frames = alice.drain();
        assertThat(frames.get(0).at("/message/data/offset").asLong()).isEqualTo(1);
        assertThat(summary(frames)).containsExactly("response", "message 2");
        assertThat(summary(bob.drain())).containsExactly("response", "message m2");
    }

    @Test
    void unsubscribing_before_the_link_is_confirmed_leaves_nothing() {
        broker.holdSubscribes();
        call(alice, "{'command':'subscribe','params':{'channel':'room:1'},'callId':1}");

        call(alice, "{'command':'unsubscribe','params':{'channel':'room:1'},'callId':2}");
        broker.releaseSubscribes();

        List<JsonNode> frames = alice.drain();
        assertThat(frames).extracting(frame -> frame.at("/message/callId").asInt()).containsExactly(2, 1);
        assertThat(frames.get(0).at("/message/data").isNull()).isTrue();
        assertThat(frames.get(1).at("/message/message").asText()).isEqualTo("Not subscribed");
        assertNothingLeft();
    }

    @Test
    void resubscribing_before_the_link_is_confirmed_joins_once_as_last_asked() {
        broker.holdSubscribes();
        call(alice, "{'command':'subscribe','params':{'channel':'news:1'},'callId':1}");
        call(alice, "{'command':'unsubscribe','params':{'channel':'news:1'},'callId':2}");
        call(alice, "{'command':'subscribe','params':{'channel':'news:1','recoverable':true},'callId':3}");

        broker.releaseSubscribes();
        publish("'news:1'", "'m1'");

        List<JsonNode> frames = alice.drain();
        assertThat(frames).extracting(frame -> frame.at("/message/callId").asText())
                .containsExactly("2", "1", "3", "");
        assertThat(frames.get(1).at("/message/message").asText()).as("the cancelled subscribe").isEqualTo(
                "Not subscribed");
        assertThat(frames.get(2).at("/message/data/offset").asLong()).isZero();
        assertThat(summary(frames.get(3))).as("one frame per publication, the positioned one").isEqualTo("message 1");
        assertThat(pubsub.subscriberCount(json("'news:1'"))).isEqualTo(1);

        registry.disconnected(alice);
        assertNothingLeft();
    }

    @Test
    void resubscribing_plain_before_a_positioned_link_is_confirmed_gets_plain_frames_only() {
        broker.holdSubscribes();
        call(alice, "{'command':'subscribe','params':{'channel':'news:1','recoverable':true},'callId':1}");
        call(alice, "{'command':'unsubscribe','params':{'channel':'news:1'},'callId':2}");
        call(alice, "{'command':'subscribe','params':{'channel':'news:1'},'callId':3}");

        broker.releaseSubscribes();
        publish("'news:1'", "'m1'");

        assertThat(summary(alice.drain())).containsExactly("response", "error", "response", "message m1");
    }

    @Test
    void disconnecting_before_the_link_is_confirmed_leaves_nothing() {
        broker.holdSubscribes();
        call(alice, "subscribe", params("'room:1'"));
        call(bob, "subscribe", json("{'channel':'news:1','recoverable':true}"));

        registry.disconnected(alice);
        registry.disconnected(bob);
        broker.releaseSubscribes();

        assertNothingLeft();
        loop.advance(Duration.ofMinutes(2));
        assertThat(loop.pendingTimers()).as("no check, refresh or presence sweep left running").isZero();
    }

    @Test
    void a_subscriber_leaving_before_the_link_is_confirmed_does_not_take_the_others_with_it() {
        broker.holdSubscribes();
        call(alice, "subscribe", params("'room:1'"));
        call(bob, "subscribe", params("'room:1'"));

        registry.disconnected(alice);
        broker.releaseSubscribes();
        publish("'room:1'", "'m1'");

        assertThat(summary(bob.drain())).containsExactly("response", "message m1");
        assertThat(broker.engine().subscribedChannels()).containsExactly(JsonKey.of("room:1"));
        assertThat(ask(carol, "presence_stats", json("{'channel':'room:1'}"))).isEqualTo(json("{'clients':1,'users':1}"));
    }

    // ---- helpers

    private void assertNothingLeft() {
        assertThat(pubsub.channelCount()).isZero();
        assertThat(pubsub.subscribedClientCount()).isZero();
        assertThat(pubsub.linkedChannels()).isEmpty();
        assertThat(broker.engine().subscribedChannels()).isEmpty();
        assertThat(presence.channelCount()).isZero();
    }
}
