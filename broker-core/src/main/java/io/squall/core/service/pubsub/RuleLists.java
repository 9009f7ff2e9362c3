package io.squall.core.service.pubsub;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Configured rule lists (permissions, channel options): rules separated by {@code ;} or new lines, blanks ignored,
 * and any rule that cannot be read fails naming its position and text, so a typo never silently changes a channel.
 */
final class RuleLists {
    private RuleLists() {}

    static <T> List<T> parse(String text, Function<String, T> parseRule) {
        List<T> rules = new ArrayList<>();
        int position = 0;
        for (String raw : text.split("[;\\n]")) {
            String rule = raw.strip();
            if (rule.isEmpty()) {
                continue;
            }
            position++;
            try {
                rules.add(parseRule.apply(rule));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rule " + position + " '" + rule + "': " + e.getMessage(), e);
            }
        }
        return List.copyOf(rules);
    }
}
