package io.squall.server.snap;

import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.server.http.PlainResponses;
import io.squall.snap.SnapBridge;
import io.squall.snap.SnapBridgeConfig;
import io.squall.snap.SnapCluster;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import java.util.HashSet;

/** Puts the SNAP bridge into a running broker: its services in the registries, and the live page. */
public final class SnapWiring {
    /** Where the live page's files sit on the classpath (in broker-snap-bridge). */
    private static final String PAGE_RESOURCES = "io/squall/snap/page";

    private SnapWiring() {}

    /**
     * Makes the bridge and registers its {@code snap} service in the private registry (every function) and, when
     * {@code snap.public.functions} lists some, in the public one (those only). On several nodes ({@code bus}
     * clustered) the bridge runs only while this node owns the port, and calls go to the owner. The caller starts
     * it. Loop only.
     */
    public static SnapCluster install(SnapBridgeConfig config, ServiceContext context, ServiceBus bus,
            ServiceRegistry publicRegistry, ServiceRegistry privateRegistry, String pubsubService) {
        PubSubService pubsub = publicRegistry.service(pubsubService)
                .filter(PubSubService.class::isInstance)
                .map(PubSubService.class::cast)
                .orElseThrow(() -> new IllegalStateException("the SNAP bridge publishes through the public PubSub"
                        + " service '" + pubsubService + "', which is not registered"));
        SnapCluster snap = new SnapCluster(SnapBridge.create(config, context, pubsub), context, bus);
        privateRegistry.register(snap.service(config.serviceName(), null));
        if (!config.publicFunctions().isEmpty()) {
            publicRegistry.register(snap.service(config.serviceName(), new HashSet<>(config.publicFunctions())));
        }
        return snap;
    }

    /** The live page (static HTML and JS that speak the broker's WebSocket protocol), for {@code /snap/}. */
    public static HttpHandler page() {
        ClassPathResourceManager files = new ClassPathResourceManager(SnapWiring.class.getClassLoader(), PAGE_RESOURCES);
        return new ResourceHandler(files, PlainResponses.notFound())
                .setWelcomeFiles("index.html")
                .setDirectoryListingEnabled(false)
                .setCacheTime(0);
    }
}
