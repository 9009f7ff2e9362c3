package io.squall.core.service.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.broker.MemoryBroker;
import io.squall.core.protocol.EncodedMessage;
import io.squall.core.testing.FaultyBroker;
import io.squall.core.testing.PubSubs;
import io.squall.core.testing.WireFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Squall's own PubSub frames (positions, recovery, history, presence) against the golden frames in
 * {@code src/test/resources/wire/}, byte for byte: the JS client and docs/protocol.md are written against those. The
 * epoch is random, so the fixtures carry {@code EpochABC} in its place.
 */
class PubSubWireFixturesTest extends PubSubFixture {
    private static final String EPOCH_PLACEHOLDER = "EpochABC";

    @Test
    void recoverable_subscribe_positioned_message_recovery_history_and_presence_frames_are_the_golden_ones() {
        start(new MemoryBroker(loop, HISTORY), ChannelPolicy.open(true), PubSubs.settings("news size=5 ttl=10m presence", MAX_RECOVERED));
        publish("'news'", "'one'");
        publish("'news'", "'two'");

        call(alice, "{'command':'subscribe','params':{'channel':'news','recoverable':true},'callId':1}");
        String epoch = alice.messages().get(0).at("/message/data/epoch").asText();
        assertGolden(alice.frames().get(0), "response-pubsub-recoverable", epoch);
        alice.drain();

        publish("'news'", "'hello'");
        assertGolden(alice.frames().get(0), "notification-pubsub-positioned-message", epoch);
        alice.drain();

        call(bob, "{'command':'subscribe','params':{'channel':'news','since':{'offset':2,'epoch':'" + epoch
                + "'}},'callId':2}");
        assertGolden(bob.frames().get(0), "response-pubsub-recovered", epoch);
        assertGolden(bob.frames().get(1), "notification-pubsub-positioned-message", epoch);

        call(carol, "{'command':'history','params':{'channel':'news','since':{'offset':1,'epoch':'" + epoch
                + "'}},'callId':3}");
        assertGolden(carol.frames().get(0), "response-pubsub-history", epoch);

        call(carol, "{'command':'presence_stats','params':{'channel':'news'},'callId':4}");
        assertGolden(carol.frames().get(1), "response-pubsub-presence-stats", epoch);

        webApp.drain();
        backendCall("{'command':'publish','params':{'channel':'news','message':'four'}}");
        String expected = WireFixtures.text("response-backend-publish-position").replace(EPOCH_PLACEHOLDER, epoch)
                .replace("\"offset\":3", "\"offset\":4");
        assertThat(webApp.frames().get(0).text()).isEqualTo(expected);
    }

    @Test
    void the_insufficient_state_notification_is_the_golden_one() {
        FaultyBroker broker = new FaultyBroker(() -> new MemoryBroker(loop, HISTORY));
        start(broker, ChannelPolicy.open(true), PubSubs.settings("news size=5 ttl=10m presence", MAX_RECOVERED));
        subscribeRecoverable(alice, "'news'");

        broker.dropNextDelivery();
        publish("'news'", "'lost'");
        publish("'news'", "'after'");

        List<EncodedMessage> frames = alice.frames();
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).text()).isEqualTo(WireFixtures.text("notification-pubsub-unsubscribed"));
    }

    private static void assertGolden(EncodedMessage frame, String fixture, String epoch) {
        assertThat(frame.text()).as(fixture)
                .isEqualTo(WireFixtures.text(fixture).replace(EPOCH_PLACEHOLDER, epoch));
    }
}
