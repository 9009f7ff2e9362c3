package io.squall.server.config;

import io.squall.core.service.pubsub.ChannelRule;
import io.squall.core.state.StateLimits;
import io.squall.server.ws.Origin;
import io.squall.server.ws.OriginPolicy;
import io.squall.snap.SnapBridgeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the server can be told, validated once. Built by {@link ConfigLoader} from defaults, an optional
 * properties file, {@code SQUALL_*} environment variables and command-line flags; the README table lists each key
 * with its default (a test keeps the two in step).
 *
 * @param publicHost address of the public WebSocket listener
 * @param publicPort its port (0 picks a free one)
 * @param wsPath path of the public WebSocket endpoint
 * @param publicUrl the base URL browsers reach the public port at; its origin is the broker's own (loopback when unset)
 * @param privateHost address of the private backend listener (loopback by default: it is the trusted door)
 * @param privatePort its port (0 picks a free one)
 * @param backendKey the backend API key; empty means "generate a strong one at start and log it once"
 * @param metricsKey the bearer token {@code /metrics} asks for; empty means open (the private port is loopback by default)
 * @param backendDeadline the longest a backend request waits for its replies before it is answered "Timeout"
 * @param backendMaxBodyBytes largest backend HTTP body accepted (413 above)
 * @param allowedOrigins browser origins allowed on the public port, besides the broker's own (wildcards allowed)
 * @param allowMissingOrigin whether handshakes without an Origin header (non-browser clients) are accepted
 * @param pingInterval how often an idle connection is pinged
 * @param pongTimeout how long a ping may go unanswered before the connection is closed as dead
 * @param maxFrameBytes largest inbound frame; larger ones close the connection with 1009
 * @param maxQueuedBytes outbound bytes a connection may have waiting before it is closed as a slow consumer
 * @param maxSubscriptions PubSub subscriptions per connection
 * @param stateLimits the largest key a client may name and the bytes of keys one connection may hold
 * @param httpHeaderTimeout both ports: how long a connection may take to send a whole request head, from its opening
 *     or from the end of its previous request
 * @param httpMaxHeaderBytes both ports: largest request head (400 and closed above)
 * @param httpMaxPendingConnections per port: connections that have not sent a whole first request head yet
 * @param maxConnections public WebSocket connections (503 above); 0: no cap of its own
 * @param fdReserve file descriptors the public port leaves free for the private one and the broker
 * @param clientsMayPublish whether public clients may publish, or only the backend may
 * @param pubsubService name of the public PubSub service
 * @param pubsubBackendService name of the private PubSub service
 * @param loopQueueCapacity tasks waiting for the event loop before requests are answered "Overloaded"
 * @param workerThreads threads for blocking work handed off by the loop
 * @param ioThreads Undertow IO threads (parse and write; 0 means one per core, at least 2)
 * @param shutdownTimeout the longest a graceful stop waits for clients to close and requests to finish
 * @param logLevel level of Squall's own loggers
 * @param services which of Snorky's other services run, where, under which names and with which limits
 * @param auth identity: tokens, keys, anonymous access, the backend's auth service
 * @param pubsubPermissions PubSub permission rules, in order (empty: anyone subscribes)
 * @param snap the SNAP bridge, when {@code snap.port} is set
 * @param console the web console on the private port, when turned on
 * @param webhooks the lifecycle webhooks, when {@code webhooks.url} is set
 * @param engine where publications, history and presence live
 * @param proxies the application's proxies (connect, refresh, subscribe, publish, rpc)
 * @param pluginsDir the directory of plugin jars, when set
 * @param pluginSettings every {@code plugin.<name>.<key>} given, checked against the plugins' declarations at start
 */
public record ServerConfig(
        String publicHost,
        int publicPort,
        String wsPath,
        Optional<String> publicUrl,
        String privateHost,
        int privatePort,
        Optional<String> backendKey,
        Optional<String> metricsKey,
        Duration backendDeadline,
        int backendMaxBodyBytes,
        List<String> allowedOrigins,
        boolean allowMissingOrigin,
        Duration pingInterval,
        Duration pongTimeout,
        int maxFrameBytes,
        int maxQueuedBytes,
        int maxSubscriptions,
        StateLimits stateLimits,
        Duration httpHeaderTimeout,
        int httpMaxHeaderBytes,
        int httpMaxPendingConnections,
        int maxConnections,
        int fdReserve,
        boolean clientsMayPublish,
        String pubsubService,
        String pubsubBackendService,
        int loopQueueCapacity,
        int workerThreads,
        int ioThreads,
        Duration shutdownTimeout,
        String logLevel,
        ServicesConfig services,
        AuthConfig auth,
        List<ChannelRule> pubsubPermissions,
        Optional<SnapBridgeConfig> snap,
        Optional<ConsoleConfig> console,
        Optional<WebhookConfig> webhooks,
        EngineConfig engine,
        ProxyConfig proxies,
        Optional<Path> pluginsDir,
        Map<String, String> pluginSettings) {

    public ServerConfig {
        port("public.port", publicPort);
        port("private.port", privatePort);
        if (!wsPath.startsWith("/")) {
            throw new IllegalArgumentException("ws.path must start with '/': " + wsPath);
        }
        backendKey.ifPresent(key -> {
            if (key.length() < 16) {
                throw new IllegalArgumentException("backend.key must be at least 16 characters");
            }
        });
        metricsKey.ifPresent(key -> {
            if (key.length() < 16) {
                throw new IllegalArgumentException("metrics.key must be at least 16 characters");
            }
        });
        positive("backend.deadline", backendDeadline);
        positive("ping.interval", pingInterval);
        positive("pong.timeout", pongTimeout);
        positive("shutdown.timeout", shutdownTimeout);
        atLeast("backend.max.body.bytes", backendMaxBodyBytes, 1024);
        atLeast("max.frame.bytes", maxFrameBytes, 1024);
        if (maxQueuedBytes < maxFrameBytes) { // either key may be the one to change: name both
            throw new IllegalArgumentException("max.queued.bytes must be at least max.frame.bytes (" + maxFrameBytes
                    + "), was " + maxQueuedBytes);
        }
        atLeast("max.subscriptions", maxSubscriptions, 1);
        positive("http.header.timeout", httpHeaderTimeout);
        atLeast("http.max.header.bytes", httpMaxHeaderBytes, 1024);
        atLeast("http.max.pending.connections", httpMaxPendingConnections, 1);
        atLeast("max.connections", maxConnections, 0);
        atLeast("fd.reserve", fdReserve, 0);
        atLeast("loop.queue.capacity", loopQueueCapacity, 16);
        atLeast("worker.threads", workerThreads, 1);
        atLeast("io.threads", ioThreads, 0);
        allowedOrigins = List.copyOf(allowedOrigins);
        try {
            OriginPolicy.validate(allowedOrigins);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Setting.ALLOWED_ORIGINS.key() + " (" + Setting.ALLOWED_ORIGINS.envVar()
                    + "): " + e.getMessage(), e);
        }
        publicUrl.ifPresent(url -> {
            try {
                Origin.ofUrl(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(Setting.PUBLIC_URL.key() + " (" + Setting.PUBLIC_URL.envVar()
                        + "): '" + url + "': " + e.getMessage(), e);
            }
        });
        if (!List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(logLevel)) {
            throw new IllegalArgumentException("log.level must be ERROR, WARN, INFO, DEBUG or TRACE, was " + logLevel);
        }
        // the key named, like every other configuration error (found by ConfigFuzzTest)
        if (pubsubService.isBlank()) {
            throw new IllegalArgumentException("pubsub.service must not be blank");
        }
        if (pubsubBackendService.isBlank()) {
            throw new IllegalArgumentException("pubsub.backend.service must not be blank");
        }
        pubsubPermissions = List.copyOf(pubsubPermissions);
        if (!clientsMayPublish) {
            pubsubPermissions.stream()
                    .filter(rule -> rule.allow() && rule.actions().contains(ChannelRule.Action.PUBLISH))
                    .findFirst()
                    .ifPresent(rule -> {
                        throw new IllegalArgumentException("pubsub.permissions rule '" + rule
                                + "' allows publish but clients.may.publish=false forbids every client publish");
                    });
        }
        java.util.Objects.requireNonNull(stateLimits, "stateLimits");
        java.util.Objects.requireNonNull(services, "services");
        java.util.Objects.requireNonNull(engine, "engine");
        java.util.Objects.requireNonNull(console, "console");
        java.util.Objects.requireNonNull(proxies, "proxies");
        java.util.Objects.requireNonNull(webhooks, "webhooks");
        pluginSettings = Map.copyOf(pluginSettings);
    }

    /** The built-in defaults, as documented. */
    public static ServerConfig defaults() {
        return ConfigLoader.load(new String[0], java.util.Map.of());
    }

    private static void port(String key, int value) {
        if (value < 0 || value > 65_535) {
            throw new IllegalArgumentException(key + " must be a port number (0-65535), was " + value);
        }
    }

    private static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + value);
        }
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", was " + value);
        }
    }
}
