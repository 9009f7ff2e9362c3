package io.squall.server;

import io.squall.api.Registry;
import io.squall.api.ServiceBinding;
import io.squall.api.SquallService;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.broker.Engine;
import io.squall.core.service.chat.ChatService;
import io.squall.core.service.cursors.CursorsService;
import io.squall.core.service.datasync.DataSyncBackendService;
import io.squall.core.service.datasync.DataSyncService;
import io.squall.core.service.pubsub.ChannelPolicy;
import io.squall.core.service.pubsub.ChannelRulePolicy;
import io.squall.core.service.pubsub.PubSubBackendService;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.server.config.DealerSpec;
import io.squall.server.config.ServerConfig;
import io.squall.server.config.ServicesConfig;
import io.squall.server.console.ConsoleTrust;
import io.squall.server.plugins.LoadedPlugins;
import io.squall.server.security.AuthBackendService;
import io.squall.server.security.TokenMinter;
import io.squall.services.messaging.MessagingService;
import io.squall.services.messaging.NamePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Which services run in which registry, under which names (all configurable, defaults documented). */
final class BrokerServices {
    private BrokerServices() {}

    static void install(ServerConfig config, ServiceContext context, Engine engine, ServiceRegistry publicRegistry,
            ServiceRegistry privateRegistry, TokenMinter minter, ServiceRegistry console) {
        ChannelPolicy policy = ChannelRulePolicy.of(config.pubsubPermissions(), config.clientsMayPublish());
        PubSubService pubsub = new PubSubService(config.pubsubService(), context,
                console == null ? policy : new ConsoleTrust(policy, console),
                config.engine().pubSubSettings(config.maxSubscriptions()), engine.broker(), engine.presence());
        publicRegistry.register(pubsub);
        PubSubBackendService backend = new PubSubBackendService(config.pubsubBackendService(), context, pubsub);
        privateRegistry.register(backend);
        installSnorkyServices(config, context, engine, publicRegistry, privateRegistry);
        AuthBackendService auth = new AuthBackendService(config.auth(), context, publicRegistry, minter,
                engine.serviceBus());
        privateRegistry.register(auth);
        if (console != null) { // the same instances: the console's tails, publications and disconnects are theirs
            console.register(pubsub);
            console.register(backend);
            console.register(auth);
        }
    }

    private static void installSnorkyServices(ServerConfig config, ServiceContext context, Engine engine,
            ServiceRegistry publicRegistry, ServiceRegistry privateRegistry) {
        ServicesConfig services = config.services();
        Registries registries = new Registries(publicRegistry, privateRegistry);
        if (services.chat().enabled()) {
            registries.of(services.chat()).register(new ChatService(services.chat().name(), context,
                    services.chatMaxChannels(), engine.serviceBus(), config.engine().presenceTtl().dividedBy(3)));
        }
        if (services.cursors().enabled()) {
            registries.of(services.cursors()).register(new CursorsService(services.cursors().name(), context,
                    services.cursorsMaxDocuments(), new SplittableRandom(), // handles are not secrets
                    engine.serviceBus(), config.engine().presenceTtl().dividedBy(3)));
        }
        if (services.datasync().enabled()) {
            DataSyncService datasync = new DataSyncService(services.datasync().name(), context,
                    services.datasyncDealers().stream().map(DealerSpec::build).toList(), services.datasyncLimits(),
                    engine.serviceBus(), services.datasyncHistorySize());
            registries.of(services.datasync()).register(datasync);
            if (!services.datasyncBackendService().isEmpty()) {
                privateRegistry.register(
                        new DataSyncBackendService(services.datasyncBackendService(), context, datasync));
            }
        }
    }

    /**
     * The built-in services written against the public API, registered through it as embedded services and plugins
     * are (before them, so a plugin cannot take a built-in's name).
     */
    static List<LoadedPlugins.Origin> builtIns(ServerConfig config) {
        ServicesConfig services = config.services();
        List<LoadedPlugins.Origin> all = new ArrayList<>();
        if (services.messaging().enabled()) {
            NamePolicy names = services.messagingNamesFromIdentity() ? NamePolicy.ownIdentity() : NamePolicy.allowAll();
            all.add(builtIn(services.messaging(), new MessagingService(services.messaging().name(), names,
                    services.messagingMaxNames(), config.engine().presenceTtl())));
        }
        return all;
    }

    private static LoadedPlugins.Origin builtIn(ServicesConfig.Placement placement, SquallService service) {
        Registry registry = placement.registry() == ServicesConfig.Registry.PUBLIC ? Registry.PUBLIC : Registry.PRIVATE;
        return new LoadedPlugins.Origin("built-in", new ServiceBinding(registry, service));
    }

    private record Registries(ServiceRegistry publicRegistry, ServiceRegistry privateRegistry) {
        ServiceRegistry of(ServicesConfig.Placement placement) {
            return placement.registry() == ServicesConfig.Registry.PUBLIC ? publicRegistry : privateRegistry;
        }
    }
}
