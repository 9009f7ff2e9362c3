package io.squall.core.service.pubsub;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.broker.MemoryBroker;
import io.squall.api.JsonKey;
import io.squall.core.testing.FaultyBroker;
import io.squall.core.testing.PubSubs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "A positioned subscription is never skipped past silently": publications lost between the engine and this node,
 * an engine restarted under a new epoch, and slow recovery reads, injected around the real memory engine.
 */
class PubSubGapDetectionTest extends PubSubFixture {
    private static final String INSUFFICIENT_STATE =
            "{\"service\":\"pubsub\",\"message\":{\"type\":\"unsubscribed\",\"channel\":\"news:1\",\"code\":2500,"
                    + "\"reason\":\"Insufficient state\"}}";
    private static final Duration CHECK = Duration.ofSeconds(40);

    private FaultyBroker broker;

    @BeforeEach
    void start() {
        broker = new FaultyBroker(() -> new MemoryBroker(loop, HISTORY));
        start(broker, ChannelPolicy.open(true), PubSubs.settings(RULES, MAX_RECOVERED));
    }

    // ---- a jump in the stream

    @Test
    void a_positioned_subscriber_whose_stream_jumps_is_unsubscribed_with_insufficient_state_while_a_plain_one_keeps_receiving() {
        subscribeRecoverable(alice, "'news:1'");
        subscribe(bob, "'news:1'");
        publish("'news:1'", "'m1'");
        broker.dropNextDelivery();
        publish("'news:1'", "'m2'");

        publish("'news:1'", "'m3'");

        assertThat(alice.frames()).extracting(frame -> frame.text()).containsExactly(
                "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"news:1\",\"message\":\"m1\","
                        + "\"offset\":1}}",
                INSUFFICIENT_STATE);
        assertThat(summary(bob.drain())).containsExactly("message m1", "message m3");
        assertThat(pubsub.subscriberCount(json("'news:1'"))).isEqualTo(1);
        assertThat(insufficientState()).isEqualTo(1);

        alice.drain();
        publish("'news:1'", "'m4'");
        assertThat(alice.frames()).as("no longer subscribed").isEmpty();
        assertThat(summary(bob.drain())).containsExactly("message m4");
        assertThat(error(alice, "unsubscribe", params("'news:1'"))).isEqualTo("Not subscribed");
    }

    @Test
    void the_insufficient_state_frame_names_the_channel_as_it_was_subscribed() {
        ObjectNode params = params("'news:1'");
        params.put("recoverable", true);
        ask(alice, "subscribe", params);
        alice.drain();
        broker.dropNextDelivery();
        publishRange("'news:1'", 1, 2);

        assertThat(alice.frames()).extracting(frame -> frame.text()).containsExactly(INSUFFICIENT_STATE);
    }

    @Test
    void resubscribing_since_the_last_offset_recovers_the_lost_publication() {
        String epoch = subscribeRecoverable(alice, "'news:1'").get("epoch").asText();
        publish("'news:1'", "'m1'");
        broker.dropNextDelivery();
        publishRange("'news:1'", 2, 3);
        assertThat(summary(alice.drain())).containsExactly("message 1", "unsubscribed 2500");

        subscribeSince(alice, "'news:1'", 1, epoch);
        publish("'news:1'", "'m4'");

        List<JsonNode> frames = alice.drain();
        assertThat(frames.get(0).at("/message/data"))
                .isEqualTo(json("{'offset':3,'epoch':'" + epoch + "','recovered':true}"));
        assertThat(summary(frames)).containsExactly("response", "message 2", "message 3", "message 4");
        assertThat(frames.get(1).at("/message/message").asText()).isEqualTo("m2");
    }

    @Test
    void several_positioned_subscribers_are_all_ended_and_the_next_channel_is_untouched() {
        subscribeRecoverable(alice, "'news:1'");
        subscribeRecoverable(carol, "'news:1'");
        subscribeRecoverable(bob, "'news:2'");
        broker.dropNextDelivery();
        publishRange("'news:1'", 1, 2);
        publishRange("'news:2'", 1, 2);

        assertThat(summary(alice.drain())).containsExactly("unsubscribed 2500");
        assertThat(summary(carol.drain())).containsExactly("unsubscribed 2500");
        assertThat(summary(bob.drain())).containsExactly("message 1", "message 2");
        assertThat(pubsub.subscriberCount(json("'news:1'"))).isZero();
        assertThat(broker.engine().subscribedChannels()).containsExactly(JsonKey.of("news:2"));
    }

    @Test
    void an_engine_restarted_under_a_new_epoch_ends_positioned_subscriptions_and_they_are_told_recovered_false() {
        String epoch = subscribeRecoverable(alice, "'news:1'").get("epoch").asText();
        subscribe(bob, "'news:1'");
        publishRange("'news:1'", 1, 2);

        broker.restartEngine();
        String newEpoch = publish("'news:1'", "'m3'").position().epoch();

        assertThat(newEpoch).isNotEqualTo(epoch);
        assertThat(summary(alice.drain())).containsExactly("message 1", "message 2", "unsubscribed 2500");
        assertThat(summary(bob.drain())).containsExactly("message m1", "message m2", "message m3");

        subscribeSince(alice, "'news:1'", 2, epoch);
        List<JsonNode> frames = alice.drain();
        assertThat(frames.get(0).at("/message/data"))
                .isEqualTo(json("{'offset':1,'epoch':'" + newEpoch + "','recovered':false}"));
        assertThat(summary(frames)).containsExactly("response");
    }

    // ---- the periodic position check

    @Test
    void the_periodic_check_catches_a_lost_last_publication_when_nothing_else_is_published() {
        String epoch = subscribeRecoverable(alice, "'news:1'").get("epoch").asText();
        subscribe(bob, "'news:1'");
        publish("'news:1'", "'m1'");
        broker.dropNextDelivery();
        publish("'news:1'", "'m2'");
        assertThat(summary(alice.drain())).containsExactly("message 1");

        loop.advance(CHECK);
        assertThat(alice.frames()).as("in transit, perhaps: not yet").isEmpty();
        loop.advance(CHECK);

        assertThat(alice.frames()).extracting(frame -> frame.text()).containsExactly(INSUFFICIENT_STATE);
        assertThat(pubsub.subscriberCount(json("'news:1'"))).as("bob stays").isEqualTo(1);
        assertThat(bob.drain()).hasSize(1);

        subscribeSince(alice, "'news:1'", 1, epoch);
        assertThat(summary(alice.drain())).containsExactly("response", "message 2");
    }

    @Test
    void the_periodic_check_leaves_a_subscriber_that_is_up_to_date_alone() {
        subscribeRecoverable(alice, "'news:1'");

        for (int i = 1; i <= 5; i++) {
            publish("'news:1'", "'m" + i + "'");
            loop.advance(CHECK);
        }

        assertThat(summary(alice.drain())).containsExactly(
                "message 1", "message 2", "message 3", "message 4", "message 5");
        assertThat(pubsub.subscriberCount(json("'news:1'"))).isEqualTo(1);
    }

    @Test
    void a_publication_still_in_transit_at_one_check_and_delivered_before_the_next_is_not_a_gap() {
        subscribeRecoverable(alice, "'news:1'");
        broker.delayNextDelivery();
        publish("'news:1'", "'m1'");

        loop.advance(CHECK);
        broker.releaseDelayedDeliveries();
        loop.advance(CHECK);
        loop.advance(CHECK);

        assertThat(summary(alice.drain())).containsExactly("message 1");
        publish("'news:1'", "'m2'");
        assertThat(summary(alice.drain())).containsExactly("message 2");
    }

    @Test
    void the_check_ends_a_subscription_at_once_when_the_epoch_changed() {
        subscribeRecoverable(alice, "'news:1'");
        broker.restartEngine();

        loop.advance(CHECK);

        assertThat(alice.frames()).extracting(frame -> frame.text()).containsExactly(INSUFFICIENT_STATE);
    }

    @Test
    void position_checks_run_only_while_there_are_positioned_subscriptions() {
        subscribe(bob, "'news:1'");
        loop.advance(CHECK.multipliedBy(3));
        assertThat(broker.reads()).as("plain subscribers need no checks").isZero();

        subscribeRecoverable(alice, "'news:1'");
        int afterSubscribe = broker.reads();
        loop.advance(CHECK.multipliedBy(3));
        assertThat(broker.reads() - afterSubscribe).isEqualTo(3);

        unsubscribe(alice, "'news:1'");
        loop.advance(CHECK.multipliedBy(3));
        assertThat(broker.reads() - afterSubscribe).as("one last run finds nothing and stops").isEqualTo(3);
    }

    // ---- after the engine's pub/sub link was rebuilt

    @Test
    void on_delivery_interrupted_checks_at_once_and_ends_a_subscription_whose_epoch_changed() {
        subscribeRecoverable(alice, "'news:1'");
        publish("'news:1'", "'m1'");
        alice.drain();
        broker.restartEngine();

        broker.interruptDelivery();

        assertThat(alice.frames()).extracting(frame -> frame.text()).containsExactly(INSUFFICIENT_STATE);
    }

    @Test
    void on_delivery_interrupted_catches_a_lost_publication_a_second_later_long_before_the_periodic_check() {
        subscribeRecoverable(alice, "'news:1'");
        broker.dropNextDelivery();
        publish("'news:1'", "'m1'");
        int reads = broker.reads();

        broker.interruptDelivery();
        assertThat(broker.reads()).as("checked at once").isEqualTo(reads + 1);
        assertThat(alice.frames()).isEmpty();
        loop.advance(Duration.ofSeconds(1));

        assertThat(alice.frames()).extracting(frame -> frame.text()).containsExactly(INSUFFICIENT_STATE);
    }

    @Test
    void on_delivery_interrupted_with_nothing_lost_ends_nothing() {
        subscribeRecoverable(alice, "'news:1'");
        publishRange("'news:1'", 1, 2);
        alice.drain();

        broker.interruptDelivery();
        loop.advance(Duration.ofSeconds(1));
        loop.advance(CHECK.multipliedBy(2));
        publish("'news:1'", "'m3'");

        assertThat(summary(alice.drain())).containsExactly("message 3");
    }

    @Test
    void on_delivery_interrupted_without_positioned_subscriptions_reads_nothing_and_schedules_nothing() {
        subscribe(bob, "'news:1'");
        int timers = loop.pendingTimers();

        broker.interruptDelivery();

        assertThat(broker.reads()).isZero();
        assertThat(loop.pendingTimers()).isEqualTo(timers);
    }

    // ---- live publications during a slow recovery read

    @Test
    void live_publications_during_a_slow_recovery_follow_the_recovered_ones_each_exactly_once() {
        String epoch = publishRange("'news:1'", 1, 2).position().epoch();
        broker.holdHistoryReads();
        subscribeSince(alice, "'news:1'", 1, epoch);
        publishRange("'news:1'", 3, 4); // delivered to this node before the read, and also in what the read returns
        assertThat(alice.frames()).as("nothing before the reply").isEmpty();

        broker.releaseHistoryReads();
        publish("'news:1'", "'m5'");

        List<JsonNode> frames = alice.drain();
        assertThat(frames.get(0).at("/message/data"))
                .isEqualTo(json("{'offset':4,'epoch':'" + epoch + "','recovered':true}"));
        assertThat(summary(frames)).containsExactly("response", "message 2", "message 3", "message 4", "message 5");
    }

    @Test
    void live_publications_during_a_slow_recoverable_subscribe_follow_the_reply_each_exactly_once() {
        publishRange("'news:1'", 1, 2);
        broker.holdHistoryReads();
        call(alice, "subscribe", json("{'channel':'news:1','recoverable':true}"));
        publishRange("'news:1'", 3, 3);

        broker.releaseHistoryReads();
        publishRange("'news:1'", 4, 4);

        List<JsonNode> frames = alice.drain();
        assertThat(frames.get(0).at("/message/data/offset").asLong()).as("the top when it was read").isEqualTo(3);
        assertThat(summary(frames)).containsExactly("response", "message 4");
    }

    @Test
    void a_recovery_that_buffered_too_many_live_publications_ends_with_insufficient_state() {
        String epoch = publish("'news:1'", "'m1'").position().epoch();
        broker.holdHistoryReads();
        subscribeSince(alice, "'news:1'", 1, epoch);
        publishRange("'news:1'", 2, 4098);

        broker.releaseHistoryReads();

        List<JsonNode> frames = alice.drain();
        assertThat(frames.get(0).at("/message/data/recovered").asBoolean()).isFalse();
        assertThat(summary(frames)).containsExactly("response", "unsubscribed 2500");
        assertThat(pubsub.channelCount()).isZero();
    }

    @Test
    void a_recovery_that_buffered_exactly_the_bound_goes_live() {
        String epoch = publish("'news:1'", "'m1'").position().epoch();
        broker.holdHistoryReads();
        subscribeSince(alice, "'news:1'", 1, epoch);
        publishRange("'news:1'", 2, 4097);

        broker.releaseHistoryReads();
        publish("'news:1'", "'m4098'");

        List<JsonNode> frames = alice.drain();
        assertThat(frames.get(0).at("/message/data/recovered").asBoolean()).isFalse();
        assertThat(summary(frames)).containsExactly("response", "message 4098");
    }

    @Test
    void unsubscribing_during_a_slow_recovery_read_leaves_nothing_behind() {
        String epoch = publish("'news:1'", "'m1'").position().epoch();
        broker.holdHistoryReads();
        subscribeSince(alice, "'news:1'", 0, epoch);

        call(alice, "{'command':'unsubscribe','params':{'channel':'news:1'},'callId':2}");
        publish("'news:1'", "'m2'");
        broker.releaseHistoryReads();

        List<JsonNode> frames = alice.drain();
        assertThat(summary(frames)).containsExactly("response", "error");
        assertThat(frames.get(0).at("/message/callId").asInt()).isEqualTo(2);
        assertThat(frames.get(1).at("/message/message").asText()).isEqualTo("Not subscribed");
        assertThat(pubsub.channelCount()).isZero();
        assertThat(pubsub.linkedChannels()).isEmpty();
        assertThat(broker.engine().subscribedChannels()).isEmpty();
        assertThat(presence.channelCount()).isZero();
    }

    @Test
    void disconnecting_during_a_slow_recovery_read_leaves_nothing_behind() {
        broker.holdHistoryReads();
        call(alice, "subscribe", json("{'channel':'news:1','recoverable':true}"));

        registry.disconnected(alice);
        broker.releaseHistoryReads();

        assertThat(pubsub.channelCount()).isZero();
        assertThat(pubsub.linkedChannels()).isEmpty();
        assertThat(broker.engine().subscribedChannels()).isEmpty();
        assertThat(presence.channelCount()).isZero();
    }

    // ---- helpers

    private double insufficientState() {
        return context.metrics().registry().get("broker.pubsub.insufficient.state").counter().count();
    }
}
