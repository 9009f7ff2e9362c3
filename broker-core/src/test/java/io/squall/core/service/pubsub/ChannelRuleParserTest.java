package io.squall.core.service.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.core.service.pubsub.ChannelRule.Action;
import io.squall.core.service.pubsub.ChannelRule.Who;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelRuleParserTest {

    @Test
    void reads_rules_in_order_separated_by_semicolons_or_new_lines() {
        List<ChannelRule> rules = ChannelRuleParser.parse(
                "allow subscribe user:{identity};\n  deny   subscribe user:* \nallow subscribe,publish chat:* authenticated;");

        assertThat(rules).hasSize(3);
        assertThat(rules.get(0).allow()).isTrue();
        assertThat(rules.get(0).actions()).containsExactly(Action.SUBSCRIBE);
        assertThat(rules.get(0).pattern().usesIdentity()).isTrue();
        assertThat(rules.get(0).who()).isEqualTo(Who.ANYONE);
        assertThat(rules.get(1).allow()).isFalse();
        assertThat(rules.get(1).source()).isEqualTo("deny   subscribe user:*");
        assertThat(rules.get(2).actions()).isEqualTo(Set.of(Action.SUBSCRIBE, Action.PUBLISH));
        assertThat(rules.get(2).who()).isEqualTo(Who.AUTHENTICATED);
    }

    @Test
    void keywords_are_case_insensitive_and_who_can_be_anonymous() {
        ChannelRule rule = ChannelRuleParser.parse("DENY Publish news:* Anonymous").get(0);

        assertThat(rule.allow()).isFalse();
        assertThat(rule.actions()).containsExactly(Action.PUBLISH);
        assertThat(rule.who()).isEqualTo(Who.ANONYMOUS);
    }

    @Test
    void blank_text_means_no_rules() {
        assertThat(ChannelRuleParser.parse("")).isEmpty();
        assertThat(ChannelRuleParser.parse(" ; \n ;")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "allow subscribe                         | expected 'allow|deny",
        "allow                                   | expected 'allow|deny",
        "allow subscribe news extra anyone       | expected 'allow|deny",
        "permit subscribe news                   | 'permit' is not allow or deny",
        "allow read news                         | 'read' is not subscribe, publish, history or presence",
        "allow subscribe,subscribe news          | 'subscribe' is listed twice",
        "allow subscribe, news                   | '' is not subscribe, publish, history or presence",
        "allow subscribe news everyone           | 'everyone' is not anyone, authenticated or anonymous",
        "allow subscribe user:{id}               | unknown placeholder",
        "allow subscribe user:}                  | unmatched '}'",
        "allow subscribe user:{identity} anonymous | {identity} never matches an anonymous connection",
    })
    void every_kind_of_bad_rule_is_refused_naming_it(String rule, String problem) {
        assertThatThrownBy(() -> ChannelRuleParser.parse("allow subscribe ok; " + rule))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("rule 2 '" + rule.strip() + "': ")
                .hasMessageContaining(problem);
    }
}
