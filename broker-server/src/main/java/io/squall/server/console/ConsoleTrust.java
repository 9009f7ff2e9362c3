package io.squall.server.console;

import io.squall.core.Client;
import io.squall.core.ServiceRegistry;
import io.squall.api.JsonKey;
import io.squall.core.service.pubsub.ChannelPolicy;

/**
 * The public PubSub's channel policy, with the console's connections let through: a logged-in operator tails any
 * channel and publishes on any, as the backend may. Everyone else gets the configured policy unchanged. Loop only
 * (the console registry's client set is a loop-side set).
 */
public final class ConsoleTrust implements ChannelPolicy {
    private final ChannelPolicy policy;
    private final ServiceRegistry console;

    public ConsoleTrust(ChannelPolicy policy, ServiceRegistry console) {
        this.policy = policy;
        this.console = console;
    }

    private boolean operator(Client client) {
        return console.clients().contains(client);
    }

    @Override
    public boolean maySubscribe(Client client, JsonKey channel) {
        return operator(client) || policy.maySubscribe(client, channel);
    }

    @Override
    public boolean mayPublish(Client client, JsonKey channel) {
        return operator(client) || policy.mayPublish(client, channel);
    }

    @Override
    public boolean mayReadHistory(Client client, JsonKey channel) {
        return operator(client) || policy.mayReadHistory(client, channel);
    }

    @Override
    public boolean mayReadPresence(Client client, JsonKey channel) {
        return operator(client) || policy.mayReadPresence(client, channel);
    }
}
