package io.squall.core.service.pubsub;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.testing.PubSubs;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.api.JsonKey;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Envelope;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.ServiceContexts;
import org.junit.jupiter.api.Test;

class ChannelRulePolicyTest {
    private final RecordingClient alice = new RecordingClient("alice").withIdentity(json("'alice'"));
    private final RecordingClient bob = new RecordingClient("bob").withIdentity(json("'bob'"));
    private final RecordingClient anonymous = new RecordingClient("anonymous");

    private static ChannelPolicy policy(String rules, boolean clientsMayPublish) {
        return ChannelRulePolicy.of(ChannelRuleParser.parse(rules), clientsMayPublish);
    }

    @Test
    void no_rules_keeps_the_open_policy() {
        ChannelPolicy open = policy("", true);

        assertThat(open.maySubscribe(anonymous, JsonKey.of("anything"))).isTrue();
        assertThat(open.mayPublish(anonymous, JsonKey.of("anything"))).isTrue();
        assertThat(policy("", false).mayPublish(alice, JsonKey.of("anything"))).isFalse();
    }

    @Test
    void a_user_may_subscribe_to_its_own_channel_only() {
        ChannelPolicy rules = policy("allow subscribe user:{identity}", true);

        assertThat(rules.maySubscribe(alice, JsonKey.of("user:alice"))).isTrue();
        assertThat(rules.maySubscribe(alice, JsonKey.of("user:bob"))).isFalse();
        assertThat(rules.maySubscribe(bob, JsonKey.of("user:bob"))).isTrue();
        assertThat(rules.maySubscribe(anonymous, JsonKey.of("user:"))).isFalse();
    }

    @Test
    void the_first_rule_that_applies_decides() {
        ChannelPolicy rules = policy("deny subscribe news:secret; allow subscribe news:*", true);

        assertThat(rules.maySubscribe(alice, JsonKey.of("news:secret"))).isFalse();
        assertThat(rules.maySubscribe(alice, JsonKey.of("news:sport"))).isTrue();
    }

    @Test
    void what_no_rule_allows_is_refused_for_both_actions() {
        ChannelPolicy rules = policy("allow subscribe news:*", true);

        assertThat(rules.maySubscribe(alice, JsonKey.of("weather"))).isFalse();
        assertThat(rules.maySubscribe(alice, JsonKey.of(json("{'room':1}")))).isFalse();
        assertThat(rules.mayPublish(alice, JsonKey.of("news:sport"))).as("no publish rule").isFalse();
    }

    @Test
    void a_final_catch_all_keeps_the_rest_open_json_channels_included() {
        ChannelPolicy rules = policy("deny subscribe user:*; allow subscribe *", true);

        assertThat(rules.maySubscribe(alice, JsonKey.of("user:alice"))).isFalse();
        assertThat(rules.maySubscribe(alice, JsonKey.of("weather"))).isTrue();
        assertThat(rules.maySubscribe(alice, JsonKey.of(json("{'room':1}")))).isTrue();
    }

    @Test
    void who_restricts_rules_to_authenticated_or_anonymous_connections() {
        ChannelPolicy rules = policy("allow publish chat:* authenticated; allow subscribe lobby anonymous", true);

        assertThat(rules.mayPublish(alice, JsonKey.of("chat:1"))).isTrue();
        assertThat(rules.mayPublish(anonymous, JsonKey.of("chat:1"))).isFalse();
        assertThat(rules.maySubscribe(anonymous, JsonKey.of("lobby"))).isTrue();
        assertThat(rules.maySubscribe(alice, JsonKey.of("lobby"))).isFalse();
    }

    @Test
    void clients_may_publish_false_forbids_client_publishes_whatever_the_rules() {
        ChannelPolicy rules = policy("allow subscribe *", false);

        assertThat(rules.mayPublish(alice, JsonKey.of("news"))).isFalse();
        assertThat(rules.maySubscribe(alice, JsonKey.of("news"))).isTrue();
    }

    @Test
    void a_refused_subscribe_is_answered_not_authorized_and_leaves_no_subscription() {
        ManualEventLoop loop = new ManualEventLoop();
        ServiceContext context = ServiceContexts.create(loop);
        PubSubService pubsub = PubSubs.memory("pubsub", context, policy("allow subscribe user:{identity}", true), 10);
        ServiceRegistry registry = new ServiceRegistry("public", context);
        registry.register(pubsub);
        registry.connected(alice);

        registry.dispatch(alice, new Envelope("pubsub",
                json("{'command':'subscribe','params':{'channel':'user:bob'},'callId':1}")));
        registry.dispatch(alice, new Envelope("pubsub",
                json("{'command':'subscribe','params':{'channel':'user:alice'},'callId':2}")));

        assertThat(alice.messages()).containsExactly(
                json("{'service':'pubsub','message':{'type':'error','callId':1,'message':'Not authorized'}}"),
                json("{'service':'pubsub','message':{'type':'response','callId':2,'data':null}}"));
        assertThat(pubsub.subscriberCount(json("'user:bob'"))).isZero();
        assertThat(pubsub.subscriberCount(json("'user:alice'"))).isEqualTo(1);
    }
}
