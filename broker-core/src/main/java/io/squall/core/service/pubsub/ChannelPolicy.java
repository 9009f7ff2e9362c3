package io.squall.core.service.pubsub;

import io.squall.core.Client;
import io.squall.core.json.JsonKey;

/** Who may subscribe to and publish on a channel. The backend PubSub service publishes past it. */
public interface ChannelPolicy {

    boolean maySubscribe(Client client, JsonKey channel);

    boolean mayPublish(Client client, JsonKey channel);

    /** Anyone may subscribe; clients may publish only when {@code clientsMayPublish} ("backend only" otherwise). */
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
        };
    }
}
