package io.squall.core.service.pubsub;

import io.squall.core.broker.HistoryPolicy;
import io.squall.core.config.DurationText;
import io.squall.api.JsonKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Channel options by pattern, the first matching rule deciding, with the pattern syntax of the permission rules:
 * {@code PATTERN [size=N ttl=DURATION] [presence]}, separated by {@code ;} or new lines, e.g.
 * {@code news:* size=100 ttl=10m; room:* size=50 ttl=1h presence}. Channels no rule matches are live only and cost the
 * engine nothing. Strict: a rule it cannot read fails naming its position and text.
 */
public final class ChannelOptionsRules {
    private record Rule(ChannelPattern pattern, ChannelOptions options) {}

    public static final ChannelOptionsRules NONE = new ChannelOptionsRules(List.of());

    private final List<Rule> rules;

    private ChannelOptionsRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The options of {@code channel}. */
    public ChannelOptions of(JsonKey channel) {
        for (Rule rule : rules) {
            if (rule.pattern().matches(channel.value(), Optional.empty())) {
                return rule.options();
            }
        }
        return ChannelOptions.LIVE_ONLY;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * @throws IllegalArgumentException naming the first bad rule and what is wrong with it
     */
    public static ChannelOptionsRules parse(String text) {
        List<Rule> rules = RuleLists.parse(text, ChannelOptionsRules::parseRule);
        return rules.isEmpty() ? NONE : new ChannelOptionsRules(rules);
    }

    private static Rule parseRule(String rule) {
        String[] words = rule.split("\\s+");
        ChannelPattern pattern = ChannelPattern.compile(words[0]);
        if (pattern.usesIdentity()) {
            throw new IllegalArgumentException("{identity} has no meaning here: options belong to the channel");
        }
        Integer size = null;
        Duration ttl = null;
        boolean presence = false;
        for (int i = 1; i < words.length; i++) {
            String word = words[i];
            if (word.equals("presence") && !presence) {
                presence = true;
            } else if (word.startsWith("size=") && size == null) {
                size = positive(word.substring(5));
            } else if (word.startsWith("ttl=") && ttl == null) {
                ttl = DurationText.parse(word.substring(4));
            } else {
                throw new IllegalArgumentException("'" + word + "' is not size=N, ttl=DURATION or presence (once each)");
            }
        }
        if ((size == null) != (ttl == null)) {
            throw new IllegalArgumentException("a history needs both size=N and ttl=DURATION");
        }
        HistoryPolicy history = size == null ? HistoryPolicy.NONE : new HistoryPolicy(size, ttl);
        if (!history.enabled() && !presence) {
            throw new IllegalArgumentException("expected 'PATTERN [size=N ttl=DURATION] [presence]'");
        }
        return new Rule(pattern, new ChannelOptions(history, presence));
    }

    private static int positive(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("size must be a whole number above 0, was '" + text + "'");
    }
}
