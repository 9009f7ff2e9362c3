package io.squall.core.service.pubsub;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.broker.MemoryBroker;
import io.squall.core.broker.StreamPosition;
import io.squall.core.json.JsonKey;
import io.squall.core.protocol.Envelope;
import io.squall.core.testing.PubSubs;
import io.squall.core.testing.RecordingClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Positions, recovery, history, presence and the backend's publish (docs/protocol.md, "PubSub", "Positions and
 * recovery", "PubSub backend"), through the registries on the memory engine.
 */
class PubSubPositionsTest extends PubSubFixture {
    private MemoryBroker broker;

    @BeforeEach
    void start() {
        start(ChannelPolicy.open(true));
    }

    private void start(ChannelPolicy policy) {
        broker = new MemoryBroker(loop, HISTORY);
        start(broker, policy, PubSubs.settings(RULES, MAX_RECOVERED));
    }

    private void startWithRules(String permissionRules) {
        start(ChannelRulePolicy.of(ChannelRuleParser.parse(permissionRules), true));
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
        assertThat(broker.subscribedChannels()).isEmpty();
        assertThat(broker.streamCount()).isZero();
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
        assertThat(broker.subscribedChannels()).isEmpty();
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

    // ---- history

    @Test
    void history_answers_the_position_and_publications_oldest_first_at_most_the_maximum() {
        String epoch = publishRange("'news:1'", 1, 5).position().epoch();

        JsonNode all = ask(alice, "history", json("{'channel':'news:1'}"));

        assertThat(all).isEqualTo(json("{'offset':5,'epoch':'" + epoch + "','publications':["
                + "{'offset':1,'message':'m1'},{'offset':2,'message':'m2'},{'offset':3,'message':'m3'}]}"));
    }

    @Test
    void history_since_a_position_limit_and_reverse() {
        String epoch = publishRange("'news:1'", 1, 5).position().epoch();

        assertThat(offsets(ask(alice, "history", json("{'channel':'news:1','since':{'offset':2,'epoch':'" + epoch
                + "'}}")))).containsExactly(3L, 4L, 5L);
        assertThat(offsets(ask(alice, "history", json("{'channel':'news:1','since':{'offset':2,'epoch':'" + epoch
                + "'},'limit':2}")))).containsExactly(3L, 4L);
        assertThat(offsets(ask(alice, "history", json("{'channel':'news:1','limit':2}")))).containsExactly(1L, 2L);
        assertThat(offsets(ask(alice, "history", json("{'channel':'news:1','reverse':true}"))))
                .containsExactly(5L, 4L, 3L);
        assertThat(offsets(ask(alice, "history", json("{'channel':'news:1','reverse':true,'limit':1}"))))
                .containsExactly(5L);
        assertThat(ask(alice, "history", json("{'channel':'news:1','limit':0}")))
                .isEqualTo(json("{'offset':5,'epoch':'" + epoch + "','publications':[]}"));
    }

    @Test
    void history_of_a_trimmed_stream_answers_what_is_kept() {
        publishRange("'small:1'", 1, 4);

        assertThat(offsets(ask(alice, "history", json("{'channel':'small:1'}")))).containsExactly(3L, 4L);
    }

    @Test
    void history_since_another_epoch_is_answered_unrecoverable_position() {
        publishRange("'news:1'", 1, 2);

        assertThat(error(alice, "history", json("{'channel':'news:1','since':{'offset':1,'epoch':'zzzzzzzz'}}")))
                .isEqualTo("Unrecoverable position");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'channel':'news:1','limit':4}",
        "{'channel':'news:1','limit':-1}",
        "{'channel':'news:1','limit':1.5}",
        "{'channel':'news:1','limit':'2'}",
        "{'channel':'news:1','reverse':'yes'}",
        "{'channel':'news:1','reverse':true,'since':{'offset':1,'epoch':'aaaaaaaa'}}",
        "{'channel':'news:1','since':{'offset':-1,'epoch':'aaaaaaaa'}}",
        "{'channel':'news:1','since':{'offset':1}}",
        "{'channel':'news:1','other':1}",
        "{'limit':1}"
    })
    void bad_history_params_are_answered_invalid_params(String params) {
        publishRange("'news:1'", 1, 2);

        assertThat(error(alice, "history", json(params))).isEqualTo("Invalid params");
    }

    @Test
    void history_on_a_channel_without_history_is_answered_history_not_enabled() {
        assertThat(error(alice, "history", json("{'channel':'room:1'}"))).isEqualTo("History not enabled");
        assertThat(error(alice, "history", json("{'channel':'live'}"))).isEqualTo("History not enabled");
        assertThat(broker.streamCount()).isZero();
    }

    @Test
    void history_is_not_authorized_when_rules_do_not_allow_it_and_allowed_when_they_do() {
        startWithRules("allow subscribe *; allow history news:a");
        publish("'news:a'", "'m1'");
        publish("'news:b'", "'m1'");

        assertThat(offsets(ask(alice, "history", json("{'channel':'news:a'}")))).containsExactly(1L);
        assertThat(error(alice, "history", json("{'channel':'news:b'}"))).isEqualTo("Not authorized");
    }

    @Test
    void history_is_allowed_without_rules() {
        publish("'news:1'", "'m1'");

        assertThat(offsets(ask(carol, "history", json("{'channel':'news:1'}")))).containsExactly(1L);
    }

    @Test
    void the_backend_reads_history_past_the_rules() {
        startWithRules("allow subscribe *");
        String epoch = publish("'news:1'", "'m1'").position().epoch();

        JsonNode answer = backendAsk("{'command':'history','params':{'channel':'news:1'},'callId':1}");

        assertThat(answer).isEqualTo(json("{'type':'response','callId':1,'data':{'offset':1,'epoch':'" + epoch
                + "','publications':[{'offset':1,'message':'m1'}]}}"));
    }

    // ---- presence

    @Test
    void presence_lists_every_subscribed_connection_with_its_identity_plain_and_positioned() {
        subscribe(alice, "'news:1'");
        subscribeRecoverable(bob, "'news:1'");
        subscribe(carol, "'news:1'");

        JsonNode clients = ask(alice, "presence", json("{'channel':'news:1'}")).get("clients");

        assertThat(clients.size()).isEqualTo(3);
        assertThat(clients.findValuesAsText("identity")).containsExactlyInAnyOrder("alice", "bob", "null");
        clients.properties().forEach(entry -> assertThat(entry.getValue().size()).isEqualTo(1));
        assertThat(clients.findValues("identity")).anySatisfy(identity -> assertThat(identity.isNull()).isTrue());
    }

    @Test
    void presence_stats_count_connections_and_distinct_identities() {
        RecordingClient aliceAgain = new RecordingClient("alice-phone").withIdentity(json("'alice'"));
        registry.connected(aliceAgain);
        subscribe(alice, "'room:1'");
        subscribe(aliceAgain, "'room:1'");
        subscribe(bob, "'room:1'");
        subscribe(carol, "'room:1'");

        assertThat(ask(carol, "presence_stats", json("{'channel':'room:1'}")))
                .isEqualTo(json("{'clients':4,'users':2}"));
        assertThat(ask(carol, "presence", json("{'channel':'room:1'}")).get("clients").size()).isEqualTo(4);
    }

    @Test
    void presence_of_a_channel_nobody_is_in_is_empty() {
        assertThat(ask(alice, "presence", json("{'channel':'room:9'}"))).isEqualTo(json("{'clients':{}}"));
        assertThat(ask(alice, "presence_stats", json("{'channel':'room:9'}")))
                .isEqualTo(json("{'clients':0,'users':0}"));
    }

    @Test
    void presence_on_a_channel_without_presence_is_answered_presence_not_enabled() {
        subscribe(alice, "'small:1'");
        subscribe(alice, "'live'");

        assertThat(error(alice, "presence", json("{'channel':'small:1'}"))).isEqualTo("Presence not enabled");
        assertThat(error(alice, "presence_stats", json("{'channel':'live'}"))).isEqualTo("Presence not enabled");
        assertThat(presence.channelCount()).isZero();
    }

    @Test
    void presence_is_not_authorized_when_rules_do_not_allow_it_and_allowed_when_they_do() {
        startWithRules("allow subscribe *; allow presence room:a authenticated");
        subscribe(alice, "'room:a'");
        subscribe(alice, "'room:b'");

        assertThat(ask(alice, "presence_stats", json("{'channel':'room:a'}")))
                .isEqualTo(json("{'clients':1,'users':1}"));
        assertThat(error(carol, "presence", json("{'channel':'room:a'}"))).isEqualTo("Not authorized");
        assertThat(error(alice, "presence", json("{'channel':'room:b'}"))).isEqualTo("Not authorized");
        assertThat(error(alice, "presence_stats", json("{'channel':'room:b'}"))).isEqualTo("Not authorized");
    }

    @Test
    void the_backend_reads_presence_past_the_rules() {
        startWithRules("allow subscribe *");
        subscribe(alice, "'room:1'");

        assertThat(backendAsk("{'command':'presence_stats','params':{'channel':'room:1'}}").get("data"))
                .isEqualTo(json("{'clients':1,'users':1}"));
        assertThat(backendAsk("{'command':'presence','params':{'channel':'room:1'}}")
                .at("/data/clients").findValuesAsText("identity")).containsExactly("alice");
    }

    @Test
    void presence_is_gone_after_unsubscribe_and_after_disconnect() {
        subscribe(alice, "'room:1'");
        subscribeRecoverable(bob, "'news:1'");
        subscribe(carol, "'room:1'");

        unsubscribe(alice, "'room:1'");
        registry.disconnected(bob);

        assertThat(ask(carol, "presence", json("{'channel':'room:1'}")).get("clients").findValuesAsText("identity"))
                .containsExactly("null");
        assertThat(ask(carol, "presence_stats", json("{'channel':'news:1'}")))
                .isEqualTo(json("{'clients':0,'users':0}"));
        registry.disconnected(carol);
        assertThat(presence.channelCount()).isZero();
    }

    @Test
    void presence_outlives_its_ttl_while_the_connection_stays_subscribed() {
        subscribe(alice, "'room:1'");

        loop.advance(PRESENCE_TTL.multipliedBy(5));

        assertThat(ask(bob, "presence_stats", json("{'channel':'room:1'}")))
                .isEqualTo(json("{'clients':1,'users':1}"));
    }

    @Test
    void a_connection_in_two_presence_channels_keeps_one_id_and_leaves_both() {
        subscribe(alice, "'room:1'");
        subscribe(alice, "'news:1'");

        JsonNode inRoom = ask(bob, "presence", json("{'channel':'room:1'}")).get("clients");
        JsonNode inNews = ask(bob, "presence", json("{'channel':'news:1'}")).get("clients");
        assertThat(inRoom.propertyStream().map(entry -> entry.getKey()).toList())
                .isEqualTo(inNews.propertyStream().map(entry -> entry.getKey()).toList());

        registry.disconnected(alice);
        assertThat(presence.channelCount()).isZero();
    }

    // ---- the backend's publish

    @Test
    void the_backend_publish_answers_null_on_a_live_only_channel() {
        subscribe(alice, "'live'");

        JsonNode answer = backendAsk("{'command':'publish','params':{'channel':'live','message':'hi'},'callId':1}");

        assertThat(answer).isEqualTo(json("{'type':'response','callId':1,'data':null}"));
        assertThat(alice.frames()).singleElement().extracting(frame -> frame.text()).isEqualTo(
                "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"live\",\"message\":\"hi\"}}");
        assertThat(broker.streamCount()).isZero();
    }

    @Test
    void the_backend_publish_answers_the_position_on_a_channel_with_history() {
        JsonNode position = subscribeRecoverable(alice, "'news:1'");

        JsonNode first = backendAsk("{'command':'publish','params':{'channel':'news:1','message':'a'},'callId':1}");
        JsonNode second = backendAsk("{'command':'publish','params':{'channel':'news:1','message':'b'},'callId':2}");

        String epoch = position.get("epoch").asText();
        assertThat(first.get("data")).isEqualTo(json("{'offset':1,'epoch':'" + epoch + "'}"));
        assertThat(second.get("data")).isEqualTo(json("{'offset':2,'epoch':'" + epoch + "'}"));
        assertThat(summary(alice.drain())).containsExactly("message 1", "message 2");
    }

    @Test
    void a_client_publish_answers_null_even_with_history() {
        subscribeRecoverable(bob, "'news:1'");

        JsonNode reply = ask(alice, "publish", json("{'channel':'news:1','message':'a'}"));

        assertThat(reply.isNull()).isTrue();
        assertThat(summary(bob.drain())).containsExactly("message 1");
    }

    @Test
    void a_backend_retry_with_the_same_idempotency_key_answers_the_same_offset_and_delivers_nothing_more() {
        subscribeRecoverable(alice, "'news:1'");
        subscribe(bob, "'news:1'");
        String publish = "{'command':'publish','params':{'channel':'news:1','message':'once','idempotencyKey':'k-1'}}";

        JsonNode first = backendAsk(publish);
        JsonNode retry = backendAsk(publish);
        JsonNode other = backendAsk(
                "{'command':'publish','params':{'channel':'news:1','message':'two','idempotencyKey':'k-2'}}");

        assertThat(retry).isEqualTo(first);
        assertThat(first.at("/data/offset").asLong()).isEqualTo(1);
        assertThat(other.at("/data/offset").asLong()).isEqualTo(2);
        assertThat(summary(alice.drain())).containsExactly("message 1", "message 2");
        assertThat(summary(bob.drain())).containsExactly("message once", "message two");
    }

    @Test
    void a_backend_retry_on_a_live_only_channel_answers_null_and_delivers_nothing_more() {
        subscribe(alice, "'live'");
        String publish = "{'command':'publish','params':{'channel':'live','message':'once','idempotencyKey':'k-1'}}";

        assertThat(backendAsk(publish).get("data").isNull()).isTrue();
        assertThat(backendAsk(publish).get("data").isNull()).isTrue();

        assertThat(alice.frames()).hasSize(1);
    }

    @Test
    void a_256_character_idempotency_key_is_accepted() {
        ObjectNode params = params("'news:1'");
        params.put("message", "m");
        params.put("idempotencyKey", "k".repeat(256));
        ObjectNode message = (ObjectNode) json("{'command':'publish'}");
        message.set("params", params);

        backend.dispatch(webApp, new Envelope("pubsub_backend", message));

        assertThat(webApp.last().at("/message/data/offset").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "''", "null", "['k']", "LONG"})
    void a_bad_idempotency_key_is_answered_invalid_params_and_publishes_nothing(String key) {
        subscribe(alice, "'news:1'");
        ObjectNode params = params("'news:1'");
        params.put("message", "m");
        params.set("idempotencyKey", key.equals("LONG") ? json("'" + "k".repeat(257) + "'") : json(key));
        ObjectNode message = (ObjectNode) json("{'command':'publish','callId':3}");
        message.set("params", params);

        webApp.drain();
        backend.dispatch(webApp, new Envelope("pubsub_backend", message));

        assertThat(webApp.drain()).containsExactly(
                json("{'service':'pubsub_backend','message':{'type':'error','callId':3,'message':'Invalid params'}}"));
        assertThat(alice.frames()).isEmpty();
        assertThat(broker.streamCount()).isZero();
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
        assertThat(broker.subscribedChannels()).isEmpty();
        assertThat(presence.channelCount()).isZero();
        publish("'news:1'", "'m2'");
        publish("'room:1'", "'m2'");
        assertThat(alice.frames()).isEmpty();
        assertThat(bob.frames()).isEmpty();
        assertThat(carol.frames()).isEmpty();

        // the position checks, presence refreshes and presence sweeper stop at their next run
        loop.advance(PRESENCE_TTL.plusSeconds(40));
        assertThat(loop.pendingTimers()).as("only the engine's sweeper, for the metas it keeps").isEqualTo(1);
        assertThat(broker.streamCount()).isEqualTo(3);
        loop.advance(META_TTL);
        assertThat(broker.streamCount()).isZero();
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void unsubscribing_every_subscriber_of_a_channel_unlinks_it_and_keeps_the_others() {
        subscribeRecoverable(alice, "'news:1'");
        subscribe(bob, "'news:1'");
        subscribe(bob, "'live'");

        unsubscribe(alice, "'news:1'");
        assertThat(broker.subscribedChannels()).containsExactlyInAnyOrder(JsonKey.of("news:1"), JsonKey.of("live"));
        unsubscribe(bob, "'news:1'");

        assertThat(broker.subscribedChannels()).containsExactly(JsonKey.of("live"));
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
