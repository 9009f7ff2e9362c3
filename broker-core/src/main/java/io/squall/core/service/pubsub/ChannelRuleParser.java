package io.squall.core.service.pubsub;

import io.squall.core.service.pubsub.ChannelRule.Action;
import io.squall.core.service.pubsub.ChannelRule.Who;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads permission rules, separated by {@code ;} (or new lines), each
 * {@code EFFECT ACTIONS PATTERN [WHO]}: e.g. {@code allow subscribe user:{identity}; allow subscribe,publish chat:* authenticated}.
 * Strict: any rule it cannot read fails with a message naming the rule's position and text, so a typo never
 * silently opens or closes a channel.
 */
public final class ChannelRuleParser {
    private ChannelRuleParser() {}

    /**
     * @param text the rules; blank means none
     * @throws IllegalArgumentException naming the first bad rule and what is wrong with it
     */
    public static List<ChannelRule> parse(String text) {
        return RuleLists.parse(text, ChannelRuleParser::parseRule);
    }

    private static ChannelRule parseRule(String rule) {
        String[] words = rule.split("\\s+");
        if (words.length < 3 || words.length > 4) {
            throw new IllegalArgumentException(
                    "expected 'allow|deny ACTION[,ACTION...] PATTERN [anyone|authenticated|anonymous]'"
                            + " (actions: subscribe, publish, history, presence)");
        }
        boolean allow = switch (words[0].toLowerCase(Locale.ROOT)) {
            case "allow" -> true;
            case "deny" -> false;
            default -> throw new IllegalArgumentException("'" + words[0] + "' is not allow or deny");
        };
        Set<Action> actions = actions(words[1]);
        ChannelPattern pattern = ChannelPattern.compile(words[2]);
        Who who = words.length == 4 ? who(words[3]) : Who.ANYONE;
        if (pattern.usesIdentity() && who == Who.ANONYMOUS) {
            throw new IllegalArgumentException("{identity} never matches an anonymous connection");
        }
        return new ChannelRule(allow, actions, pattern, who, rule);
    }

    private static Set<Action> actions(String word) {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (String name : word.split(",", -1)) {
            Action action = switch (name.toLowerCase(Locale.ROOT)) {
                case "subscribe" -> Action.SUBSCRIBE;
                case "publish" -> Action.PUBLISH;
                case "history" -> Action.HISTORY;
                case "presence" -> Action.PRESENCE;
                default -> throw new IllegalArgumentException(
                        "'" + name + "' is not subscribe, publish, history or presence");
            };
            if (!actions.add(action)) {
                throw new IllegalArgumentException("'" + name + "' is listed twice");
            }
        }
        return actions;
    }

    private static Who who(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "anyone" -> Who.ANYONE;
            case "authenticated" -> Who.AUTHENTICATED;
            case "anonymous" -> Who.ANONYMOUS;
            default -> throw new IllegalArgumentException("'" + word + "' is not anyone, authenticated or anonymous");
        };
    }
}
