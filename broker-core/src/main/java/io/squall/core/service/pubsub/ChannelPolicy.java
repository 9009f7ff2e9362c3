package io.squall.core.service.pubsub;

import io.squall.core.Client;
import io.squall.api.JsonKey;

/**
 * Who may subscribe to, publish on, and read the history and presence of a channel. The backend PubSub service does
 * all of it past the policy.
 */
public interface ChannelPolicy {

    boolean maySubscribe(Client client, JsonKey channel);

    boolean mayPublish(Client client, JsonKey channel);

    boolean mayReadHistory(Client client, JsonKey channel);

    boolean mayReadPresence(Client client, JsonKey channel);

    /**
     * Anyone may subscribe and read history and presence (as anyone may subscribe and see what is published); clients
     * may publish only when {@code clientsMayPublish} ("backend only" otherwise).
     */
    static ChannelPolicy open(boolean clientsMayPublish) {
        return new ChannelPolicy() {
            @Override
            public boolean maySubscribe(Client client, JsonKey channel) {
                return true;
            }

            @Override
            public boolean mayPublish(Client client, JsonKey channel) {
                return clientsMayPublish;
            }

            @Override
            public boolean mayReadHistory(Client client, JsonKey channel) {
                return true;
            }

            @Override
            public boolean mayReadPresence(Client client, JsonKey channel) {
                return true;
            }
        };
    }
}
