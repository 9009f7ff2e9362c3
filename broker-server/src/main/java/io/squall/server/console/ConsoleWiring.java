package io.squall.server.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Service;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.broker.Engine;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.redis.ClusterNodes;
import io.squall.redis.RedisEngine;
import io.squall.server.config.ConsoleConfig;
import io.squall.server.config.ServerConfig;
import io.squall.server.http.PlainResponses;
import io.squall.server.ws.WsEndpoint;
import io.squall.server.ws.WsHandshake;
import io.undertow.server.HttpHandler;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Puts the web console into a broker: its own registry (what the console's WebSocket reaches: the {@code console}
 * service, the public PubSub for tails, the backend PubSub for publishing, the auth backend for disconnects and,
 * when the bridge is on, the SNAP service), its logins, and the {@code /console} handler for the private port.
 */
public final class ConsoleWiring {
    public static final String SERVICE = "console";

    private final ConsoleConfig config;
    private final ServiceRegistry registry;
    private final ConsoleSessions sessions;

    public ConsoleWiring(ConsoleConfig config, ServiceContext context) {
        this.config = config;
        this.registry = new ServiceRegistry("console", context);
        this.sessions = new ConsoleSessions(config.sessionTtl(), config.maxSessions(), System::nanoTime);
    }

    /** The registry the console's WebSocket connections join; the services the page uses are added to it. */
    public ServiceRegistry registry() {
        return registry;
    }

    /** The SNAP bridge's service (the private registry's, to register here too) and its health view. */
    public record Snap(Service service, Supplier<ObjectNode> health) {}

    /** Registers the {@code console} service (and SNAP's, when {@code snap} is not null). Loop only. */
    public void install(ServerConfig server, ServiceContext context, ServiceRegistry publicRegistry,
            PubSubService pubsub, Engine engine, IntSupplier loopQueue, Snap snap) {
        var mapper = context.codec().mapper();
        ObjectNode services = mapper.createObjectNode()
                .put("console", SERVICE)
                .put("pubsub", server.pubsubService())
                .put("publish", server.pubsubBackendService())
                .put("auth", server.auth().backendService());
        ObjectNode snapChannels = mapper.createObjectNode();
        Supplier<ObjectNode> snapHealth = () -> null;
        if (snap != null) {
            var bridge = server.snap().orElseThrow();
            registry.register(snap.service()); // the same instance as the private registry's
            services.put("snap", bridge.serviceName());
            snapChannels.put("all", bridge.allChannel()).put("nodes", bridge.nodesChannel())
                    .put("link", bridge.linkChannel());
            snapHealth = snap.health();
        } else {
            services.putNull("snap");
        }
        Supplier<List<ClusterNodes.Node>> nodes = engine instanceof RedisEngine redis ? () -> redis.nodes().live()
                : List::of;
        String nodeId = engine.serviceBus().nodeId();
        registry.register(new ConsoleService(SERVICE, context, publicRegistry, registry, pubsub, sessions, nodes,
                loopQueue, snapHealth, new ConsoleService.Wiring(nodeId, server.publicHost() + ":"
                        + server.publicPort(), services, snapChannels)));
    }

    /** The handler for the {@code /console} prefix: pages, login, logout and the WebSocket into {@code endpoint}. */
    public HttpHandler handler(String backendKey, WsEndpoint endpoint) {
        return new ConsoleHttp(sessions, new LoginThrottle(System::nanoTime), config.password().orElse(backendKey),
                config.secureCookie(), config.sessionTtl(), new WsHandshake(endpoint, PlainResponses.upgradeRequired()));
    }
}
