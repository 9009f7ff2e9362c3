package io.squall.core.service.pubsub;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelPatternTest {
    private static final Optional<String> ANONYMOUS = Optional.empty();

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "news, news, true",
        "news, newsx, false",
        "news, xnews, false",
        "news:*, news:, true",
        "news:*, news:sport, true",
        "news:*, news, false",
        "*:public, room:public, true",
        "*:public, room:private, false",
        "a*b*c, abc, true",
        "a*b*c, aXbYc, true",
        "a*b*c, aXbY, false",
        "a*b*c, acb, false",
        "a*bc*bc, abcbc, true",
        "a*bc*bc, abc, false",
        "**, anything, true",
        "*, '', true",
        "x*, '', false",
    })
    void globs_match_string_channels(String pattern, String channel, boolean expected) {
        assertThat(ChannelPattern.compile(pattern).matches(text(channel), ANONYMOUS)).isEqualTo(expected);
    }

    @Test
    void identity_placeholder_matches_only_the_connections_own_identity() {
        ChannelPattern own = ChannelPattern.compile("user:{identity}");

        assertThat(own.matches(text("user:alice"), Optional.of("alice"))).isTrue();
        assertThat(own.matches(text("user:bob"), Optional.of("alice"))).isFalse();
        assertThat(own.matches(text("user:alice:inbox"), Optional.of("alice"))).isFalse();
        assertThat(own.matches(text("user:alice"), ANONYMOUS)).as("never for an anonymous connection").isFalse();
        assertThat(own.usesIdentity()).isTrue();
    }

    @Test
    void identity_is_matched_literally_even_with_glob_characters() {
        ChannelPattern own = ChannelPattern.compile("user:{identity}");

        assertThat(own.matches(text("user:alice"), Optional.of("*"))).isFalse();
        assertThat(own.matches(text("user:*"), Optional.of("*"))).isTrue();
    }

    @Test
    void identity_can_sit_between_globs() {
        ChannelPattern pattern = ChannelPattern.compile("*:{identity}:*");

        assertThat(pattern.matches(text("room:alice:typing"), Optional.of("alice"))).isTrue();
        assertThat(pattern.matches(text("room:bob:typing"), Optional.of("alice"))).isFalse();
    }

    @Test
    void a_lone_star_matches_every_channel_whatever_its_json_type() {
        ChannelPattern all = ChannelPattern.compile("*");

        for (String channel : new String[] {"{'room':1}", "[1,2]", "42", "null", "true", "'x'"}) {
            assertThat(all.matches(json(channel), ANONYMOUS)).as(channel).isTrue();
        }
    }

    @Test
    void any_other_pattern_never_matches_a_non_string_channel() {
        assertThat(ChannelPattern.compile("*x*").matches(json("{'x':1}"), ANONYMOUS)).isFalse();
        assertThat(ChannelPattern.compile("42").matches(json("42"), ANONYMOUS)).isFalse();
        assertThat(ChannelPattern.compile("{identity}").matches(json("7"), Optional.of("7"))).isFalse();
    }

    @Test
    void identity_text_is_a_string_or_a_whole_number_and_nothing_else() {
        assertThat(ChannelPattern.identityText(Optional.of(json("'alice'")))).contains("alice");
        assertThat(ChannelPattern.identityText(Optional.of(json("42")))).contains("42");
        assertThat(ChannelPattern.identityText(Optional.of(json("1.5")))).isEmpty();
        assertThat(ChannelPattern.identityText(Optional.of(json("{'id':1}")))).isEmpty();
        assertThat(ChannelPattern.identityText(Optional.empty())).isEmpty();
    }

    @Test
    void unknown_placeholders_and_stray_braces_are_refused() {
        assertThatThrownBy(() -> ChannelPattern.compile("user:{id}")).hasMessageContaining("unknown placeholder");
        assertThatThrownBy(() -> ChannelPattern.compile("user:{identity")).hasMessageContaining("unknown placeholder");
        assertThatThrownBy(() -> ChannelPattern.compile("user:}")).hasMessageContaining("unmatched '}'");
        assertThatThrownBy(() -> ChannelPattern.compile("")).hasMessageContaining("empty");
    }

    private static JsonNode text(String value) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
    }
}
