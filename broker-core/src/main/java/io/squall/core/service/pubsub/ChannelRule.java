package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;

/**
 * One PubSub permission rule: {@code allow|deny  ACTIONS  PATTERN  [anyone|authenticated|anonymous]}, ACTIONS being
 * one or more of subscribe, publish, history and presence, separated by commas.
 *
 * @param allow whether a match allows (else denies)
 * @param actions the actions it decides
 * @param pattern the channel pattern
 * @param who which connections it applies to
 * @param source the rule as written, for logs and error messages
 */
public record ChannelRule(boolean allow, Set<Action> actions, ChannelPattern pattern, Who who, String source) {

    /** What a client asks to do on a channel. */
    public enum Action { SUBSCRIBE, PUBLISH, HISTORY, PRESENCE }

    /** Which connections a rule applies to. */
    public enum Who {
        ANYONE,
        /** connections with an identity */
        AUTHENTICATED,
        /** connections without one */
        ANONYMOUS
    }

    public ChannelRule {
        actions = Set.copyOf(actions);
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("a rule needs at least one action");
        }
    }

    /** Whether this rule decides {@code action} on {@code channel} for a connection with {@code identity}. */
    public boolean applies(Action action, JsonNode channel, Optional<JsonNode> identity) {
        if (!actions.contains(action)) {
            return false;
        }
        boolean identified = identity.isPresent();
        if ((who == Who.AUTHENTICATED && !identified) || (who == Who.ANONYMOUS && identified)) {
            return false;
        }
        return pattern.matches(channel, ChannelPattern.identityText(identity));
    }

    @Override
    public String toString() {
        return source;
    }
}
