package io.squall.core.service.pubsub;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.core.broker.HistoryPolicy;
import io.squall.api.JsonKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelOptionsRulesTest {

    @Test
    void reads_history_and_presence_by_pattern_separated_by_semicolons_or_new_lines() {
        ChannelOptionsRules rules = ChannelOptionsRules.parse(
                "news:* size=100 ttl=10m;\n  room:*   size=50 ttl=1h presence \nlobby presence;");

        assertThat(rules.isEmpty()).isFalse();
        assertThat(rules.of(JsonKey.of("news:sport")))
                .isEqualTo(new ChannelOptions(new HistoryPolicy(100, Duration.ofMinutes(10)), false));
        assertThat(rules.of(JsonKey.of("room:1")))
                .isEqualTo(new ChannelOptions(new HistoryPolicy(50, Duration.ofHours(1)), true));
        assertThat(rules.of(JsonKey.of("lobby"))).isEqualTo(new ChannelOptions(HistoryPolicy.NONE, true));
    }

    @Test
    void words_after_the_pattern_come_in_any_order() {
        ChannelOptionsRules rules = ChannelOptionsRules.parse("room:* presence ttl=30s size=5");

        assertThat(rules.of(JsonKey.of("room:1")))
                .isEqualTo(new ChannelOptions(new HistoryPolicy(5, Duration.ofSeconds(30)), true));
    }

    @Test
    void the_first_matching_rule_wins() {
        ChannelOptionsRules rules = ChannelOptionsRules.parse("news:live presence; news:* size=5 ttl=1m");

        assertThat(rules.of(JsonKey.of("news:live"))).isEqualTo(new ChannelOptions(HistoryPolicy.NONE, true));
        assertThat(rules.of(JsonKey.of("news:other")).history().size()).isEqualTo(5);
        assertThat(rules.of(JsonKey.of("news:other")).presence()).isFalse();
    }

    @Test
    void an_unmatched_channel_is_live_only_json_channels_included() {
        ChannelOptionsRules rules = ChannelOptionsRules.parse("news:* size=5 ttl=1m presence");

        assertThat(rules.of(JsonKey.of("sport"))).isSameAs(ChannelOptions.LIVE_ONLY);
        assertThat(rules.of(JsonKey.of(json("{'news':1}")))).isSameAs(ChannelOptions.LIVE_ONLY);
        assertThat(rules.of(JsonKey.of(json("7")))).isSameAs(ChannelOptions.LIVE_ONLY);
        assertThat(ChannelOptions.LIVE_ONLY.history().enabled()).isFalse();
        assertThat(ChannelOptions.LIVE_ONLY.presence()).isFalse();
    }

    @Test
    void a_catch_all_gives_json_channels_options_too() {
        ChannelOptionsRules rules = ChannelOptionsRules.parse("* presence");

        assertThat(rules.of(JsonKey.of(json("{'room':1}"))).presence()).isTrue();
    }

    @Test
    void blank_text_is_no_rules() {
        assertThat(ChannelOptionsRules.parse("")).isSameAs(ChannelOptionsRules.NONE);
        assertThat(ChannelOptionsRules.parse(" ;\n ; ")).isSameAs(ChannelOptionsRules.NONE);
        assertThat(ChannelOptionsRules.NONE.isEmpty()).isTrue();
        assertThat(ChannelOptionsRules.NONE.of(JsonKey.of("news:1"))).isSameAs(ChannelOptions.LIVE_ONLY);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "user:{identity} presence              | {identity} has no meaning here",
        "news:* size=5                         | a history needs both",
        "news:* ttl=1m                         | a history needs both",
        "news:* size=0 ttl=1m                  | size must be a whole number above 0",
        "news:* size=-3 ttl=1m                 | size must be a whole number above 0",
        "news:* size=x ttl=1m                  | size must be a whole number above 0",
        "news:* size=99999999999 ttl=1m        | size must be a whole number above 0",
        "news:* size=5 ttl=soon                | is not a duration",
        "news:* size=5 ttl=0s                  | history ttl must be positive",
        "news:* size=5 ttl=1m forever          | 'forever' is not size=N",
        "news:* size=5 size=6 ttl=1m           | 'size=6' is not size=N",
        "news:* size=5 ttl=1m ttl=2m           | 'ttl=2m' is not size=N",
        "news:* presence presence              | 'presence' is not size=N",
        "news:*                                | expected 'PATTERN [size=N ttl=DURATION] [presence]'",
        "news:{user} presence                  | unknown placeholder"
    })
    void a_bad_rule_is_refused_naming_its_position_and_text(String bad, String reason) {
        String text = "lobby presence;\n\n" + bad + "; room:* presence";

        assertThatThrownBy(() -> ChannelOptionsRules.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("rule 2 '" + bad + "': ")
                .hasMessageContaining(reason);
    }
}
