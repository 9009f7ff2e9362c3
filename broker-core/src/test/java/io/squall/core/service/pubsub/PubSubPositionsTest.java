package io.squall.core.service.pubsub;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.broker.StreamPosition;
import io.squall.api.JsonKey;
import io.squall.core.testing.RecordingClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
/**
 * Positioned subscriptions and all-or-nothing recovery (docs/protocol.md, "Positions and recovery"), and that
 * nothing is left behind, through the registries on the memory engine.
 */
class PubSubPositionsTest extends PubSubFixture {
    @BeforeEach
    void start() {
        start(ChannelPolicy.open(true));
    }


    // ---- recoverable subscribe

    @Test
    void a_recoverable_subscribe_answers_the_channels_current_position() {
        publish("'news:1'", "'a'");
        StreamPosition top = publish("'news:1'", "'b'").position();

        JsonNode reply = subscribeRecoverable(alice, "'news:1'");

        assertThat(reply).isEqualTo(json("{'offset':2,'epoch':'" + top.epoch() + "'}"));
    }

    @Test
    void a_recoverable_subscribe_to_a_channel_never_published_to_answers_offset_zero_and_the_epoch_stays() {
        JsonNode reply = subscribeRecoverable(alice, "'news:1'");

        assertThat(reply.get("offset").asLong()).isZero();
        assertThat(reply.get("epoch").asText()).hasSize(8);
        assertThat(publish("'news:1'", "'a'").position())
                .isEqualTo(new StreamPosition(1, reply.get("epoch").asText()));
        assertThat(summary(alice.drain())).containsExactly("message 1");
    }

    @Test
    void recoverable_false_is_a_plain_subscription() {
        ObjectNode params = params("'news:1'");
        params.put("recoverable", false);

        assertThat(ask(alice, "subscribe", params).isNull()).isTrue();
        alice.drain();
        publish("'news:1'", "'a'");

        assertThat(alice.last().get("message").has("offset")).isFalse();
    }

    @Test
    void positioned_subscribers_get_the_offset_while_plain_ones_get_snorkys_exact_frame() {
        publish("'news:1'", "'before'");
        subscribeRecoverable(alice, "'news:1'");
        subscribe(bob, "'news:1'");
        subscribeRecoverable(carol, "'news:1'");

        publish("'news:1'", "'hello'");

        assertThat(alice.frames()).singleElement().extracting(frame -> frame.text()).isEqualTo(
                "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"news:1\","
                        + "\"message\":\"hello\",\"offset\":2}}");
        assertThat(bob.frames()).singleElement().extracting(frame -> frame.text()).isEqualTo(
                "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"news:1\","
                        + "\"message\":\"hello\"}}");
        assertThat(carol.frames()).singleElement().isSameAs(alice.frames().get(0));
    }

    @Test
    void a_positioned_subscriber_gets_every_publication_in_order_each_with_the_next_offset() {
        subscribeRecoverable(alice, "'news:1'");

        publishRange("'news:1'", 1, 8);

        assertThat(summary(alice.drain())).containsExactly(
                "message 1", "message 2", "message 3", "message 4", "message 5", "message 6", "message 7",
                "message 8");
    }

    // ---- since

    @Test
    void since_the_same_epoch_recovers_exactly_the_missed_publications_in_order_then_live_ones() {
        JsonNode position = subscribeRecoverable(alice, "'news:1'");
        String epoch = position.get("epoch").asText();
        publishRange("'news:1'", 1, 2);
        unsubscribe(alice, "'news:1'");
        publishRange("'news:1'", 3, 5);

        subscribeSince(alice, "'news:1'", 2, epoch);
        publishRange("'news:1'", 6, 7);

        List<JsonNode> frames = alice.drain();
        assertThat(summary(frames)).containsExactly("response", "message 3", "message 4", "message 5", "message 6",
                "message 7");
        assertThat(frames.get(0).at("/message/data"))
                .isEqualTo(json("{'offset':5,'epoch':'" + epoch + "','recovered':true}"));
        assertThat(frames.subList(1, 4)).extracting(frame -> frame.at("/message/message").asText())
                .containsExactly("m3", "m4", "m5");
        assertThat(counter("yes")).isEqualTo(1);
    }

    @Test
    void since_the_top_recovers_with_nothing_to_send() {
        String epoch = publishRange("'news:1'", 1, 3).position().epoch();

        subscribeSince(alice, "'news:1'", 3, epoch);
        publish("'news:1'", "'m4'");

        List<JsonNode> frames = alice.drain();
        assertThat(frames.get(0).at("/message/data"))
                .isEqualTo(json("{'offset':3,'epoch':'" + epoch + "','recovered':true}"));
        assertThat(summary(frames)).containsExactly("response", "message 4");
    }

    @Test
    void since_another_epoch_is_not_recovered_and_nothing_missed_is_sent() {
        String epoch = publishRange("'news:1'", 1, 3).position().epoch();

        subscribeSince(alice, "'news:1'", 1, "zzzzzzzz");
        publish("'news:1'", "'m4'");

        List<JsonNode> frames = alice.drain();
        assertThat(frames.get(0).at("/message/data"))
                .isEqualTo(json("{'offset':3,'epoch':'" + epoch + "','recovered':false}"));
        assertThat(summary(frames)).containsExactly("response", "message 4");
        assertThat(counter("no")).isEqualTo(1);
    }

    @Test
    void since_a_position_the_trimmed_history_no_longer_reaches_is_not_recovered() {
        String epoch = publishRange("'small:1'", 1, 4).position().epoch(); // keeps 3 and 4 only

        subscribeSince(alice, "'small:1'", 1, epoch); // 2 is gone, though 3 missed is within the maximum

        List<JsonNode> frames = alice.drain();
        assertThat(frames.get(0).at("/message/data/recovered").asBoolean()).isFalse();
        assertThat(frames.get(0).at("/message/data/offset").asLong()).isEqualTo(4);
        assertThat(summary(frames)).containsExactly("response");
    }

    @Test
    void since_a_position_whose_history_expired_is_not_recovered() {
        String epoch = publishRange("'news:1'", 1, 2).position().epoch();
        loop.advance(Duration.ofMinutes(10));

        subscribeSince(alice, "'news:1'", 1, epoch);

        List<JsonNode> frames = alice.drain();
        assertThat(frames.get(0).at("/message/data"))
                .isEqualTo(json("{'offset':2,'epoch':'" + epoch + "','recovered':false}"));
        assertThat(summary(frames)).containsExactly("response");
    }

    @Test
    void more_missed_than_the_maximum_is_not_recovered_even_though_the_history_holds_them() {
        String epoch = publishRange("'news:1'", 1, 5).position().epoch();

        subscribeSince(alice, "'news:1'", 1, epoch); // 4 missed, at most 3 recovered

        List<JsonNode> frames = alice.drain();
        assertThat(frames.get(0).at("/message/data/recovered").asBoolean()).isFalse();
        assertThat(summary(frames)).containsExactly("response");

        subscribeSince(bob, "'news:1'", 2, epoch); // exactly 3 missed
        assertThat(summary(bob.drain())).containsExactly("response", "message 3", "message 4", "message 5");
    }

    @Test
    void since_an_offset_ahead_of_the_top_is_not_recovered() {
        String epoch = publishRange("'news:1'", 1, 2).position().epoch();

        subscribeSince(alice, "'news:1'", 7, epoch);
        publish("'news:1'", "'m3'");

        List<JsonNode> frames = alice.drain();
        assertThat(frames.get(0).at("/message/data/recovered").asBoolean()).isFalse();
        assertThat(summary(frames)).containsExactly("response", "message 3");
    }

    @Test
    void a_positioned_subscribe_on_a_channel_without_history_is_refused_and_subscribes_nothing() {
        ObjectNode recoverable = params("'room:1'");
        recoverable.put("recoverable", true);
        ObjectNode since = params("'live'");
        since.putObject("since").put("offset", 0).put("epoch", "aaaaaaaa");

        assertThat(error(alice, "subscribe", recoverable)).isEqualTo("History not enabled");
        assertThat(error(alice, "subscribe", since)).isEqualTo("History not enabled");
        assertThat(pubsub.channelCount()).isZero();
        assertThat(memoryEngine.subscribedChannels()).isEmpty();
        assertThat(memoryEngine.streamCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'channel':'news:1','since':{'offset':-1,'epoch':'aaaaaaaa'}}",
        "{'channel':'news:1','since':{'offset':1.5,'epoch':'aaaaaaaa'}}",
        "{'channel':'news:1','since':{'offset':'1','epoch':'aaaaaaaa'}}",
        "{'channel':'news:1','since':{'offset':1}}",
        "{'channel':'news:1','since':{'epoch':'aaaaaaaa'}}",
        "{'channel':'news:1','since':{'offset':1,'epoch':7}}",
        "{'channel':'news:1','since':{'offset':1,'epoch':'aaaaaaaa','extra':0}}",
        "{'channel':'news:1','since':[1,'aaaaaaaa']}",
        "{'channel':'news:1','since':null}",
        "{'channel':'news:1','recoverable':true,'since':{'offset':1,'epoch':'aaaaaaaa'}}",
        "{'channel':'news:1','recoverable':'yes'}",
        "{'channel':'news:1','offset':1}",
        "{'since':{'offset':1,'epoch':'aaaaaaaa'}}"
    })
    void a_bad_positioned_subscribe_is_answered_invalid_params_and_subscribes_nothing(String params) {
        assertThat(error(alice, "subscribe", json(params))).isEqualTo("Invalid params");

        assertThat(pubsub.channelCount()).isZero();
        assertThat(memoryEngine.subscribedChannels()).isEmpty();
        publish("'news:1'", "'m1'");
        assertThat(alice.frames()).isEmpty();
    }

    @Test
    void a_positioned_subscribe_twice_is_answered_already_subscribed() {
        subscribeRecoverable(alice, "'news:1'");
        ObjectNode again = params("'news:1'");
        again.put("recoverable", true);

        assertThat(error(alice, "subscribe", again)).isEqualTo("Already subscribed");
        assertThat(error(alice, "subscribe", params("'news:1'"))).isEqualTo("Already subscribed");
        publish("'news:1'", "'m1'");
        assertThat(summary(alice.drain())).containsExactly("message 1");
    }

    // ---- nothing left behind

    @Test
    void after_every_client_disconnected_nothing_is_left() {
        subscribeRecoverable(alice, "'news:1'");
        subscribe(alice, "'room:1'");
        subscribe(alice, "'live'");
        subscribe(bob, "'news:1'");
        subscribeRecoverable(bob, "'small:1'");
        subscribe(carol, "'room:1'");
        subscribeSince(carol, "'news:2'", 0, "aaaaaaaa");
        publish("'news:1'", "'m1'", "key-1");
        publish("'live'", "'m1'");
        loop.advance(Duration.ofSeconds(45));
        assertThat(pubsub.linkedChannels()).hasSize(5);

        for (RecordingClient client : List.of(alice, bob, carol)) {
            registry.disconnected(client);
            client.drain();
        }

        assertThat(pubsub.channelCount()).isZero();
        assertThat(pubsub.subscribedClientCount()).isZero();
        assertThat(pubsub.linkedChannels()).isEmpty();
        assertThat(memoryEngine.subscribedChannels()).isEmpty();
        assertThat(presence.channelCount()).isZero();
        publish("'news:1'", "'m2'");
        publish("'room:1'", "'m2'");
        assertThat(alice.frames()).isEmpty();
        assertThat(bob.frames()).isEmpty();
        assertThat(carol.frames()).isEmpty();

        // the position checks, presence refreshes and presence sweeper stop at their next run
        loop.advance(PRESENCE_TTL.plusSeconds(40));
        assertThat(loop.pendingTimers()).as("only the engine's sweeper, for the metas it keeps").isEqualTo(1);
        assertThat(memoryEngine.streamCount()).isEqualTo(3);
        loop.advance(META_TTL);
        assertThat(memoryEngine.streamCount()).isZero();
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void unsubscribing_every_subscriber_of_a_channel_unlinks_it_and_keeps_the_others() {
        subscribeRecoverable(alice, "'news:1'");
        subscribe(bob, "'news:1'");
        subscribe(bob, "'live'");

        unsubscribe(alice, "'news:1'");
        assertThat(memoryEngine.subscribedChannels()).containsExactlyInAnyOrder(JsonKey.of("news:1"), JsonKey.of("live"));
        unsubscribe(bob, "'news:1'");

        assertThat(memoryEngine.subscribedChannels()).containsExactly(JsonKey.of("live"));
        assertThat(pubsub.linkedChannels()).containsExactly(JsonKey.of("live"));
        assertThat(pubsub.channelCount()).isEqualTo(1);
    }

    // ---- helpers

    private static List<Long> offsets(JsonNode history) {
        return history.get("publications").valueStream().map(p -> p.get("offset").asLong()).toList();
    }

    private double counter(String recovered) {
        return context.metrics().registry().get("broker.pubsub.recoveries").tag("recovered", recovered).counter()
                .count();
    }
}
