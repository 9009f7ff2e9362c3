package io.squall.core.service.pubsub;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.testing.RecordingClient;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
/**
 * {@code history}, {@code presence} and {@code presence_stats} (docs/protocol.md, "PubSub"), through the registries
 * on the memory engine.
 */
class PubSubHistoryPresenceTest extends PubSubFixture {
    @BeforeEach
    void start() {
        start(ChannelPolicy.open(true));
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
        assertThat(memoryEngine.streamCount()).isZero();
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

    // ---- helpers

    private static List<Long> offsets(JsonNode history) {
        return history.get("publications").valueStream().map(p -> p.get("offset").asLong()).toList();
    }

    private double counter(String recovered) {
        return context.metrics().registry().get("broker.pubsub.recoveries").tag("recovered", recovered).counter()
                .count();
    }
}
