package io.squall.server;

import io.squall.api.Registry;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.api.ApiService;
import io.squall.core.api.ApiServices;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.server.plugins.LoadedPlugins;
import io.squall.server.plugins.PluginLoader;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of the public API in this broker: embedded ones ({@link Squall.Builder#service}) and the plugins'.
 * They publish through the public PubSub service's in-process path, so through the engine.
 */
final class ApiWiring implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiWiring.class);

    private final ServiceContext context;
    private final ApiServices services;
    private final LoadedPlugins plugins;
    private final Map<Registry, Map<String, ApiService>> adapters;

    private ApiWiring(ServiceContext context, ApiServices services, LoadedPlugins plugins,
            Map<Registry, Map<String, ApiService>> adapters) {
        this.context = context;
        this.services = services;
        this.plugins = plugins;
        this.adapters = adapters;
    }

    /** The registered form of the service {@code name} in {@code registry} (to show it in another registry too). */
    ApiService adapter(Registry registry, String name) {
        ApiService adapter = adapters.getOrDefault(registry, Map.of()).get(name);
        if (adapter == null) {
            throw new IllegalStateException("no service '" + name + "' in the " + registry + " registry");
        }
        return adapter;
    }

    /** Loads the plugins of {@code plugins.dir}: before anything starts, so a broken one stops nothing running. */
    static LoadedPlugins loadPlugins(io.squall.server.config.ServerConfig config) {
        if (config.pluginsDir().isEmpty()) {
            config.pluginSettings().keySet().stream().findFirst().ifPresent(key -> {
                throw new IllegalArgumentException("configuration key " + key + " names a plugin but plugins.dir is"
                        + " empty");
            });
            return LoadedPlugins.NONE;
        }
        return PluginLoader.load(config.pluginsDir().get(), config.pluginSettings());
    }

    /**
     * Sets every service up and registers it, on the loop. A service that fails to set up stops the start with an
     * {@link IllegalArgumentException} naming it and what declared it.
     */
    static ApiWiring install(ServiceContext context, ServiceBus bus, PubSubService pubsub, ServiceRegistry publicRegistry,
            ServiceRegistry privateRegistry, List<LoadedPlugins.Origin> bindings, LoadedPlugins plugins) {
        context.loop().checkInLoop();
        ApiServices services = new ApiServices(context, bus, (channel, data, onLoop) ->
                pubsub.publish(channel, data, null, onLoop), pubsub.reads());
        Map<Registry, Map<String, ApiService>> adapters = new EnumMap<>(Registry.class);
        for (LoadedPlugins.Origin origin : bindings) {
            ServiceRegistry registry = origin.binding().registry() == Registry.PUBLIC ? publicRegistry : privateRegistry;
            String name = origin.binding().service().name();
            try {
                adapters.computeIfAbsent(origin.binding().registry(), r -> new HashMap<>())
                        .put(name, services.add(registry, origin.binding().service()));
            } catch (RuntimeException e) {
                services.stopAll();
                throw new IllegalArgumentException(origin.origin() + ": service '" + name + "' ("
                        + registry.name() + ") cannot start: " + e.getMessage(), e);
            }
            log.info("{}: service '{}' in the {} registry", origin.origin(), name, registry.name());
        }
        return new ApiWiring(context, services, plugins, adapters);
    }

    /** Stops every service (timers, refreshes, pools), waiting up to a second for the loop to do it. */
    @Override
    public void close() {
        CountDownLatch stopped = new CountDownLatch(1);
        context.loop().executeCritical(() -> {
            try {
                services.stopAll();
            } finally {
                stopped.countDown();
            }
        });
        try {
            if (!stopped.await(1, TimeUnit.SECONDS)) {
                log.warn("the services of the public API did not stop within a second");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        plugins.close();
    }
}
