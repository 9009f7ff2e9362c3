package io.squall.core.service.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import io.squall.api.JsonKey;
import io.squall.core.service.pubsub.ChannelRule.Action;
import java.util.List;
import java.util.Optional;

/**
 * The configured permission rules, checked in order: the first rule that applies decides. Once rules are
 * configured they are an allowlist: a subscribe, publish, history or presence read that no rule allows is refused (end the list with
 * {@code allow subscribe *} to keep other channels open). {@code clients.may.publish=false} still forbids every
 * client publish, whatever the rules.
 */
public final class ChannelRulePolicy implements ChannelPolicy {
    private final List<ChannelRule> rules;
    private final boolean clientsMayPublish;

    public ChannelRulePolicy(List<ChannelRule> rules, boolean clientsMayPublish) {
        this.rules = List.copyOf(rules);
        this.clientsMayPublish = clientsMayPublish;
    }

    /** The policy for a configuration: today's open one without rules, else the rules. */
    public static ChannelPolicy of(List<ChannelRule> rules, boolean clientsMayPublish) {
        return rules.isEmpty() ? ChannelPolicy.open(clientsMayPublish) : new ChannelRulePolicy(rules, clientsMayPublish);
    }

    @Override
    public boolean maySubscribe(Client client, JsonKey channel) {
        return decide(Action.SUBSCRIBE, channel.value(), client.identity());
    }

    @Override
    public boolean mayPublish(Client client, JsonKey channel) {
        return clientsMayPublish && decide(Action.PUBLISH, channel.value(), client.identity());
    }

    @Override
    public boolean mayReadHistory(Client client, JsonKey channel) {
        return decide(Action.HISTORY, channel.value(), client.identity());
    }

    @Override
    public boolean mayReadPresence(Client client, JsonKey channel) {
        return decide(Action.PRESENCE, channel.value(), client.identity());
    }

    private boolean decide(Action action, JsonNode channel, Optional<JsonNode> identity) {
        for (ChannelRule rule : rules) {
            if (rule.applies(action, channel, identity)) {
                return rule.allow();
            }
        }
        return false;
    }

    public List<ChannelRule> rules() {
        return rules;
    }
}
