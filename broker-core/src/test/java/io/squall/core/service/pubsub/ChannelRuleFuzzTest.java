package io.squall.core.service.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes the permission and channel-option rule parsers (corpus: ChannelRuleFuzzTestInputs) with arbitrary rule
 * text, then matches the rules read against a channel and an identity the fuzzer picks. A rule list is read or
 * refused with an IllegalArgumentException naming the rule's position, nothing else; a pattern matches exactly
 * what a textbook glob matcher does ({@code *} any run, {@code {identity}} the identity's text).
 */
class ChannelRuleFuzzTest {
    private static final int STAR = -1;


    @FuzzTest
    void rules(FuzzedDataProvider data) {
        String channel = data.consumeString(40);
        String identity = data.consumeString(12);
        boolean anonymous = data.consumeBoolean();
        String text = data.consumeRemainingAsString();
        // separated by ';' or LF (a CR is white space within a rule)
        long written = List.of(text.split("[;\n]", -1)).stream().filter(rule -> !rule.strip().isEmpty()).count();

        List<ChannelRule> rules;
        try {
            rules = ChannelRuleParser.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("rule ");
            rules = null;
        }
        try {
            ChannelOptionsRules.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("rule ");
        }
        if (rules == null) {
            return;
        }
        assertThat((long) rules.size()).isEqualTo(written);
        Optional<String> who = anonymous ? Optional.empty() : Optional.of(identity);
        for (ChannelRule rule : rules) {
            String source = rule.source().split("\\s+")[2];
            boolean expected = matches(source, channel, who);
            assertThat(rule.pattern().matches(TextNode.valueOf(channel), who))
                    .as("%s on %s as %s", source, channel, who).isEqualTo(expected);
        }
    }

    /** The glob as a regular expression. */
    private static boolean matches(String pattern, String channel, Optional<String> identity) {
        if (pattern.chars().allMatch(c -> c == '*')) {
            return true;
        }
        if (pattern.contains(ChannelPattern.IDENTITY) && identity.isEmpty()) {
            return false;
        }
        List<Integer> tokens = new ArrayList<>(); // a character, or STAR; the identity's text is literal
        for (String piece : pattern.split("((?=\\*)|(?<=\\*))")) {
            if (piece.equals("*")) {
                tokens.add(STAR);
            } else {
                piece.replace(ChannelPattern.IDENTITY, identity.orElse("")).chars().forEach(tokens::add);
            }
        }
        return glob(tokens, channel);
    }

    /**
     * The textbook dynamic-programming glob match, O(pattern × channel): independent of the matcher under test, and
     * unlike a regular expression of {@code .*} runs it cannot backtrack exponentially on a pattern of many stars.
     */
    private static boolean glob(List<Integer> tokens, String text) {
        boolean[] matched = new boolean[text.length() + 1]; // matched[j]: the tokens so far match text[0, j)
        matched[0] = true;
        for (int token : tokens) {
            boolean[] next = new boolean[text.length() + 1];
            next[0] = token == STAR && matched[0];
            for (int j = 1; j <= text.length(); j++) {
                next[j] = token == STAR ? next[j - 1] || matched[j] : matched[j - 1] && text.charAt(j - 1) == token;
            }
            matched = next;
        }
        return matched[text.length()];
    }
}
