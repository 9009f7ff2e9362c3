package io.squall.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.squall.api.Registry;
import io.squall.api.ServiceBinding;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.broker.Engine;
import io.squall.core.error.CloseCode;
import io.squall.core.json.Json;
import io.squall.core.loop.LoopConfig;
import io.squall.core.loop.ThreadEventLoop;
import io.squall.core.metrics.BrokerMetrics;
import io.squall.core.protocol.ProtocolCodec;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.core.state.StateBudget;
import io.squall.redis.NodeLoad;
import io.squall.server.config.ServerConfig;
import io.squall.server.console.ConsoleWiring;
import io.squall.server.hooks.ConnectionIds;
import io.squall.server.hooks.ProxyWiring;
import io.squall.server.hooks.Webhooks;
import io.squall.server.plugins.LoadedPlugins;
import io.squall.server.http.ApiKeyCheck;
import io.squall.server.http.BackendHandler;
import io.squall.server.http.BackendKeyHandler;
import io.squall.server.http.HealthHandler;
import io.squall.server.http.HttpLimits;
import io.squall.server.http.HttpListeners;
import io.squall.server.http.MetricsHandler;
import io.squall.server.http.PlainResponses;
import io.squall.server.security.AuthHandshakeHandler;
import io.squall.server.security.Authenticator;
import io.squall.server.security.JwtKeys;
import io.squall.server.security.TokenMinter;
import io.squall.server.snap.SnapWiring;
import io.squall.server.ws.ConnectionLimitHandler;
import io.squall.server.ws.OriginCheckHandler;
import io.squall.server.ws.OriginPolicy;
import io.squall.server.ws.WsEndpoint;
import io.squall.server.ws.WsHandshake;
import io.squall.server.ws.WsLimits;
import io.squall.snap.SnapBridge;
import io.squall.snap.SnapCluster;
import io.squall.snap.SnapPlugin;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.PathHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running broker: one event loop, the public and private registries, and Undertow with a public listener
 * (WebSocket) and a private one (backend HTTP and WebSocket, health, metrics). {@link #close} stops it gracefully.
 */
public final class BrokerServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerServer.class);
    private static final long EXPIRE_MARGIN_MILLIS = 250;

    private final ServerConfig config;
    private final PrometheusMeterRegistry meters;
    private final ThreadEventLoop loop;
    private final ServiceRegistry publicRegistry;
    private final ServiceRegistry privateRegistry;
    private final ServiceContext context;
    private final WsEndpoint publicWs;
    private final WsEndpoint backendWs;
    private final WsEndpoint consoleWs; // null while the console is off
    private final GracefulShutdownHandler publicDoor;
    private final GracefulShutdownHandler privateDoor;
    private final JvmMeters jvmMeters;
    private final BackendHandler backendHandler;
    private final String backendKey;
    private volatile HttpListeners listeners; // set by start
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean accepting;
    private final SnapPlugin snap; // null while snap.port is not configured
    private final Engine engine;
    private final ProxyWiring proxies; // null while no proxy is configured
    private final Webhooks webhooks;
    private final ApiWiring api;

    private BrokerServer(ServerConfig config, PrometheusMeterRegistry meters, List<LoadedPlugins.Origin> services,
            LoadedPlugins plugins) {
        this.config = config;
        this.meters = meters;
        // keys first: a bad key file stops the start before anything runs
        JwtKeys jwtKeys = JwtKeys.load(config.auth());
        Authenticator authenticator = new Authenticator(config.auth(), jwtKeys, Clock.systemUTC(), Json.mapper(), meters);
        TokenMinter minter = new TokenMinter(config.auth(), jwtKeys, Clock.systemUTC(), Json.mapper());
        this.jvmMeters = JvmMeters.bindTo(meters);
        this.loop = new ThreadEventLoop("squall-loop",
                new LoopConfig(config.loopQueueCapacity(), config.workerThreads(), 1024), meters);
        StateBudget budget = new StateBudget(config.stateLimits());
        this.context = new ServiceContext(loop, new ProtocolCodec(Json.mapper()), new BrokerMetrics(meters),
                Clock.systemUTC(), budget);
        Gauge.builder("broker.connection.state.bytes", budget, StateBudget::total)
                .description("Bytes of keys held by connections over every service (max.connection.state.bytes each)")
                .baseUnit("bytes").register(meters);
        this.publicRegistry = new ServiceRegistry("public", context);
        this.privateRegistry = new ServiceRegistry("private", context);
        this.engine = Engines.start(config, loop, meters, this::nodeLoad);
        ConsoleWiring console = config.console().map(settings -> new ConsoleWiring(settings, context)).orElse(null);
        this.snap = config.snap().map(SnapPlugin::new).orElse(null);
        callOnLoop(() -> {
            BrokerServices.install(config, context, engine, publicRegistry, privateRegistry, minter,
                    console == null ? null : console.registry());
            return null;
        });
        try { // before the hooks: nothing of theirs to stop when a plugin cannot start (the services set up before it,
              // the SNAP bridge's included, are stopped by ApiWiring)
            this.api = callOnLoop(() -> ApiWiring.install(context, engine.serviceBus(), pubsub(), publicRegistry,
                    privateRegistry, SnapWiring.withBridge(snap, services), plugins));
        } catch (IllegalStateException e) {
            engine.close();
            loop.close();
            jvmMeters.close();
            throw e.getCause() != null && e.getCause().getCause() instanceof IllegalArgumentException bad ? bad : e;
        }
        ConnectionIds ids = new ConnectionIds(engine.serviceBus().nodeId());
        this.webhooks = config.webhooks().map(hooks -> callOnLoop(() -> Webhooks.install(hooks, context, engine,
                publicRegistry, pubsub(), ids, meters))).orElse(null);
        WsLimits limits = new WsLimits(config.maxFrameBytes(), config.maxQueuedBytes(), config.pingInterval(),
                config.pongTimeout());
        this.consoleWs = console == null ? null : new WsEndpoint("console-ws", console.registry(), context, limits);
        this.publicWs = new WsEndpoint("ws", publicRegistry, context, limits);
        this.backendWs = new WsEndpoint("backend-ws", privateRegistry, context, limits);
        this.proxies = callOnLoop(() -> ProxyWiring.install(config.proxies(), context, publicRegistry, publicWs,
                config.pubsubService(), ids)).orElse(null);
        HttpHandler handshake = new WsHandshake(publicWs, PlainResponses.upgradeRequired());
        this.backendKey = config.backendKey().orElseGet(ApiKeyCheck::generateKey);
        ApiKeyCheck keys = new ApiKeyCheck(backendKey);
        this.backendHandler = new BackendHandler(keys, privateRegistry, context, config.backendDeadline(),
                config.backendMaxBodyBytes());

        PathHandler publicPaths = Handlers.path(PlainResponses.notFound())
                .addExactPath(config.wsPath(), new ConnectionLimitHandler(publicWs, config.maxConnections(),
                        HttpListeners.refusals(meters, "public", "max_connections"), new OriginCheckHandler(
                                new OriginPolicy(config.allowedOrigins(), config.allowMissingOrigin(),
                                        config.publicUrl(), () -> listeners == null ? 0 : publicPort()),
                                HttpListeners.refusals(meters, "public", "origin"),
                                proxies == null ? new AuthHandshakeHandler(authenticator, handshake)
                                        : proxies.handshake(next -> new AuthHandshakeHandler(authenticator, next),
                                                handshake))));
        config.snap().ifPresent(snap -> publicPaths.addPrefixPath("/snap", SnapWiring.page()));
        this.publicDoor = Handlers.gracefulShutdown(publicPaths);
        Supplier<String> healthDetails = snap == null && webhooks == null ? () -> null
                : () -> "{" + (snap == null ? "" : "\"snap\":" + SnapWiring.healthView(snap) + (webhooks == null ? "" : ","))
                        + (webhooks == null ? "" : "\"webhooks\":" + webhooks.healthJson()) + "}";
        PathHandler privatePaths = Handlers.path(PlainResponses.notFound())
                .addExactPath("/backend", backendHandler)
                .addExactPath("/backend/ws", new BackendKeyHandler(keys,
                        new WsHandshake(backendWs, PlainResponses.upgradeRequired())))
                .addExactPath("/health", HealthHandler.readiness(loop, loop::isAlive, () -> accepting, engine,
                        healthDetails))
                .addExactPath("/health/ready", HealthHandler.readiness(loop, loop::isAlive, () -> accepting, engine,
                        healthDetails))
                .addExactPath("/health/live", HealthHandler.liveness(loop, loop::isAlive))
                .addExactPath("/metrics", new MetricsHandler(meters, config.metricsKey()));
        if (console != null) {
            callOnLoop(() -> {
                console.install(config, context, publicRegistry, pubsub(), engine, loop::queueSize,
                        snap == null ? null : new ConsoleWiring.Snap(api.adapter(Registry.PRIVATE,
                                config.snap().orElseThrow().serviceName()), () -> SnapWiring.healthView(snap)));
                return null;
            });
            privatePaths.addPrefixPath("/console", console.handler(backendKey, consoleWs));
        }
        this.privateDoor = Handlers.gracefulShutdown(privatePaths);
    }

    private PubSubService pubsub() {
        return (PubSubService) publicRegistry.service(config.pubsubService()).orElseThrow();
    }

    private HttpListeners listen() {
        HttpLimits limits = new HttpLimits(config.httpHeaderTimeout(), config.httpMaxHeaderBytes(),
                config.httpMaxPendingConnections(), config.fdReserve());
        return HttpListeners.start(config.ioThreads(), Math.max(2, config.workerThreads()), limits, meters, List.of(
                new HttpListeners.Door("public", config.publicHost(), config.publicPort(), publicDoor, true),
                new HttpListeners.Door("private", config.privateHost(), config.privatePort(), privateDoor, false)));
    }

    /** What this node tells the others sharing Redis (on the loop, at each heartbeat). */
    private NodeLoad nodeLoad() {
        long subscriptions = publicRegistry.service(config.pubsubService())
                .map(service -> ((PubSubService) service).stats().subscriptionCount()).orElse(0L);
        return new NodeLoad(config.publicHost() + ":" + config.publicPort(), publicRegistry.clientCount(),
                subscriptions, loop.queueSize(), context.metrics().messagesInTotal(),
                context.metrics().messagesOutTotal());
    }

    /** Starts a broker with a fresh Prometheus registry. */
    public static BrokerServer start(ServerConfig config) {
        return start(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public static BrokerServer start(ServerConfig config, PrometheusMeterRegistry meters) {
        return start(config, meters, List.of());
    }

    /**
     * Starts a broker that also runs {@code services} (written against the public API) and the plugins of
     * {@code plugins.dir}; a plugin or service that cannot start stops the start, named.
     */
    public static BrokerServer start(ServerConfig config, PrometheusMeterRegistry meters,
            List<ServiceBinding> services) {
        LoadedPlugins plugins = ApiWiring.loadPlugins(config);
        List<LoadedPlugins.Origin> all = new java.util.ArrayList<>(BrokerServices.builtIns(config)); // names first
        services.forEach(binding -> all.add(new LoadedPlugins.Origin("embedded", binding)));
        all.addAll(plugins.services());
        BrokerServer server;
        try {
            server = new BrokerServer(config, meters, all, plugins);
        } catch (RuntimeException e) {
            plugins.close();
            throw e;
        }
        try {
            server.listeners = server.listen();
        } catch (RuntimeException e) {
            server.api.close(); // the services' timers and pools (and the SNAP port) were started
            server.engine.close(); // Redis connections are already open
            server.loop.close();
            throw new IllegalStateException("cannot listen on " + config.publicHost() + ":" + config.publicPort()
                    + " (public) and " + config.privateHost() + ":" + config.privatePort() + " (private): "
                    + rootMessage(e), e);
        }
        server.accepting = true;
        StartLog.report(config, server);
        return server;
    }

    public int publicPort() {
        return port(0);
    }

    public int privatePort() {
        return port(1);
    }

    private int port(int listener) {
        return listeners.address(listener).getPort();
    }

    public String backendKey() {
        return backendKey;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public ServiceRegistry publicRegistry() {
        return publicRegistry;
    }

    public ServiceRegistry privateRegistry() {
        return privateRegistry;
    }

    /** The loop, codec, metrics and clock every service shares (to add services before or after start). */
    public ServiceContext context() {
        return context;
    }

    /** The SNAP bridge, when {@code snap.port} is configured. */
    public Optional<SnapBridge> snapBridge() {
        return Optional.ofNullable(snap).flatMap(SnapPlugin::cluster).map(SnapCluster::bridge);
    }

    /** Closes the SNAP bridge; an owner frees its claim on the port first (up to a second) for a standby. */
    private void closeSnap() {
        CountDownLatch released = new CountDownLatch(1);
        loop.executeCritical(() -> snap.cluster().ifPresentOrElse(bridge -> bridge.close(released::countDown),
                released::countDown));
        try {
            if (!released.await(1, TimeUnit.SECONDS)) {
                log.warn("the SNAP port's claim was not freed within a second; a standby takes over when it expires");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Open WebSocket connections on both ports. */
    public int openConnections() {
        return publicWs.openConnections() + backendWs.openConnections()
                + (consoleWs == null ? 0 : consoleWs.openConnections());
    }

    /** Runs {@code task} on the event loop and waits for its result (for tests and tools; never from the loop). */
    public <T> T callOnLoop(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.executeCritical(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("event loop call failed", e);
        }
    }

    /**
     * Graceful stop: refuse new requests (503), close every WebSocket with 1001, wait for them and for in-flight
     * backend requests up to {@code shutdown.timeout}, then stop the listeners and the loop.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long start = System.nanoTime();
        long deadline = start + config.shutdownTimeout().toNanos();
        accepting = false;
        publicDoor.shutdown();
        privateDoor.shutdown();
        loop.executeCritical(() -> {
            publicWs.closeAll(CloseCode.GOING_AWAY);
            backendWs.closeAll(CloseCode.GOING_AWAY);
            if (consoleWs != null) {
                consoleWs.closeAll(CloseCode.GOING_AWAY);
            }
        });
        while (openConnections() > 0 && System.nanoTime() - deadline < 0) {
            sleepQuietly(10);
        }
        try {
            publicDoor.awaitShutdown(Math.max(1, remainingMillis(deadline)));
            // keep a moment to answer backend requests still waiting at the deadline, rather than cut them
            if (!privateDoor.awaitShutdown(Math.max(1, remainingMillis(deadline) - EXPIRE_MARGIN_MILLIS))) {
                loop.executeCritical(backendHandler::expireAll);
                privateDoor.awaitShutdown(EXPIRE_MARGIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = openConnections();
        if (snap != null) { // first: its claim freed while the engine is up, before its service stops with the rest
            closeSnap();
        }
        api.close(); // refreshes and timers stop, pools are interrupted: before the engine they publish to closes
        if (webhooks != null) { // the disconnects of the stop, once queued, get what is left of the timeout
            callOnLoop(() -> null);
            webhooks.close(Duration.ofMillis(Math.max(100, remainingMillis(deadline))));
        }
        listeners.close();
        if (proxies != null) {
            proxies.close();
        }
        engine.close();
        loop.shutdown(Duration.ofMillis(Math.max(500, remainingMillis(deadline))));
        jvmMeters.close();
        log.info("stopped in {} ms{}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                left > 0 ? " (" + left + " connections cut at the deadline)" : "");
    }

    private static long remainingMillis(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }
}
