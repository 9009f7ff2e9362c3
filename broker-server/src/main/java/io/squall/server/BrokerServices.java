package io.squall.server;

import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.service.pubsub.ChannelRulePolicy;
import io.squall.core.service.pubsub.PubSubBackendService;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.server.config.ServerConfig;
import io.squall.server.security.AuthBackendService;
import io.squall.server.security.TokenMinter;

/** Which services run in which registry, under which names (all configurable, defaults documented). */
final class BrokerServices {
    private BrokerServices() {}

    static void install(ServerConfig config, ServiceContext context, ServiceRegistry publicRegistry,
            ServiceRegistry privateRegistry, TokenMinter minter) {
        PubSubService pubsub = new PubSubService(config.pubsubService(), context,
                ChannelRulePolicy.of(config.pubsubPermissions(), config.clientsMayPublish()), config.maxSubscriptions());
        publicRegistry.register(pubsub);
        privateRegistry.register(new PubSubBackendService(config.pubsubBackendService(), context, pubsub));
        privateRegistry.register(new AuthBackendService(config.auth(), context, publicRegistry, minter));
    }
}
