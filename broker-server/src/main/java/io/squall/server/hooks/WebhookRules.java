package io.squall.server.hooks;

import io.squall.api.JsonKey;
import io.squall.core.service.pubsub.ChannelPattern;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which channels report which lifecycle events ({@code webhooks.channels}): rules {@code PATTERN EVENT[,EVENT...]}
 * separated by {@code ;} or new lines, with the pattern syntax of the permission rules (no {@code {identity}}: an
 * event belongs to the channel); the first rule whose pattern matches decides. Strict: a rule it cannot read fails
 * naming its position and text.
 */
public final class WebhookRules {
    /** The event types of the wire contract, by their wire names. */
    public enum Event {
        OCCUPIED, VACATED, SUBSCRIBED, UNSUBSCRIBED, CONNECTED, DISCONNECTED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The event of that wire name, or null. */
        public static Event named(String name) {
            for (Event event : values()) {
                if (event.wireName().equals(name)) {
                    return event;
                }
            }
            return null;
        }
    }

    private record Rule(ChannelPattern pattern, Set<Event> events) {}

    private static final Set<Event> CHANNEL_EVENTS = EnumSet.of(Event.OCCUPIED, Event.VACATED, Event.SUBSCRIBED,
            Event.UNSUBSCRIBED);
    private final List<Rule> rules;

    private WebhookRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The events {@code channel} reports: empty when no rule matches. */
    public Set<Event> of(JsonKey channel) {
        for (Rule rule : rules) {
            if (rule.pattern().matches(channel.value(), Optional.empty())) {
                return rule.events();
            }
        }
        return Set.of();
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * @throws IllegalArgumentException naming the first bad rule and what is wrong with it
     */
    public static WebhookRules parse(String text) {
        List<Rule> rules = new ArrayList<>();
        int position = 0;
        for (String raw : text.split("[;\\n]")) {
            String rule = raw.strip();
            if (rule.isEmpty()) {
                continue;
            }
            position++;
            try {
                rules.add(parseRule(rule));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rule " + position + " '" + rule + "': " + e.getMessage(), e);
            }
        }
        return new WebhookRules(rules);
    }

    private static Rule parseRule(String rule) {
        String[] words = rule.split("\\s+");
        if (words.length != 2) {
            throw new IllegalArgumentException("expected 'PATTERN EVENT[,EVENT...]'"
                    + " (events: occupied, vacated, subscribed, unsubscribed)");
        }
        ChannelPattern pattern = ChannelPattern.compile(words[0]);
        if (pattern.usesIdentity()) {
            throw new IllegalArgumentException("{identity} has no meaning here: events belong to the channel");
        }
        Set<Event> events = EnumSet.noneOf(Event.class);
        for (String name : words[1].split(",", -1)) {
            Event event = Event.named(name.toLowerCase(Locale.ROOT));
            if (event == null || !CHANNEL_EVENTS.contains(event)) {
                throw new IllegalArgumentException("'" + name + "' is not occupied, vacated, subscribed or unsubscribed");
            }
            if (!events.add(event)) {
                throw new IllegalArgumentException("'" + name + "' is listed twice");
            }
        }
        return new Rule(pattern, Set.copyOf(events));
    }
}
