package io.squall.server.hooks;

import io.micrometer.core.instrument.MeterRegistry;
import io.squall.core.Service;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.rpc.RpcService;
import io.squall.core.service.chat.ChatService;
import io.squall.core.service.cursors.CursorsService;
import io.squall.core.service.datasync.DataSyncService;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.server.config.ProxyConfig;
import io.squall.server.ws.WsEndpoint;
import io.squall.server.security.AuthHandshakeHandler;
import io.undertow.server.HttpHandler;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Puts the application's proxies in front of the public services that have a subscribe-like step, PubSub's
 * client publish, and the rpc proxy's own service. Called once at start, on the loop.
 */
public final class ProxyWiring {
    private final ProxyConfig config;
    private final ServiceContext context;
    private final ServiceRegistry publicRegistry;
    private final MeterRegistry meters;
    private final ConnectionIds ids;
    private final HookSignature signature;
    /** one client for every proxy: HTTP/1.1, the JDK's own threads (never the loop) */
    private final HttpClient http;
    private ProxyCaller connect; // null while the connect proxy is off

    private ProxyWiring(ProxyConfig config, ServiceContext context, ServiceRegistry publicRegistry,
            ConnectionIds ids) {
        this.config = config;
        this.context = context;
        this.publicRegistry = publicRegistry;
        this.meters = context.metrics().registry();
        this.ids = ids;
        this.signature = new HookSignature(config.secret().orElseThrow());
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Installs the configured proxies; nothing when none is.
     *
     * @param pubsubService the PubSub service a connect proxy's {@code channels} are subscribed on
     * @param ids the connections' ids, shared with the webhooks
     */
    public static Optional<ProxyWiring> install(ProxyConfig config, ServiceContext context,
            ServiceRegistry publicRegistry, WsEndpoint publicWs, String pubsubService, ConnectionIds ids) {
        context.loop().checkInLoop();
        if (!config.any()) {
            return Optional.empty();
        }
        ProxyWiring wiring = new ProxyWiring(config, context, publicRegistry, ids);
        wiring.installAdmissions();
        config.rpc().ifPresent(endpoint -> {
            if (publicRegistry.service(config.rpcService()).isPresent()) {
                throw new IllegalArgumentException("proxy.rpc.service '" + config.rpcService()
                        + "' is the name of another public service: choose another one");
            }
            publicRegistry.register(new RpcProxyService(config.rpcService(), context, publicRegistry, wiring.ids,
                    wiring.caller(ProxyKind.RPC, endpoint)));
        });
        if (config.connect().isPresent() || config.refresh().isPresent()) {
            wiring.connect = config.connect().map(e -> wiring.caller(ProxyKind.CONNECT, e)).orElse(null);
            ProxyCaller refresh = config.refresh().map(e -> wiring.caller(ProxyKind.REFRESH, e)).orElse(null);
            Duration deadline = config.refresh().map(ProxyConfig.Endpoint::timeout).orElse(Duration.ZERO);
            publicWs.listen(new ProxySessions(context, publicRegistry, pubsubService,
                    new IdentityRefresh(context.loop(), context.clock(), refresh, deadline, wiring.ids)));
        }
        return Optional.of(wiring);
    }

    /**
     * The public handshake's handlers: the passed-through headers are kept; a handshake without a token goes to the
     * connect proxy (when on) instead of the token check; one with a token to the check, then, with
     * {@code proxy.connect.always}, to the proxy; then to {@code upgrade}.
     */
    public HttpHandler handshake(UnaryOperator<HttpHandler> tokenCheck, HttpHandler websocket) {
        HttpHandler upgrade = config.refresh().isEmpty() ? websocket : tokenExpiry(websocket);
        if (connect == null) {
            return PassedHeaders.capture(config.headers(), tokenCheck.apply(upgrade));
        }
        HttpHandler proxy = new ConnectProxy(connect, context.loop(), ids, upgrade);
        HttpHandler checked = tokenCheck.apply(config.connectAlways() ? proxy : upgrade);
        return PassedHeaders.capture(config.headers(), exchange -> {
            if (AuthHandshakeHandler.carriesCredentials(exchange)) {
                checked.handleRequest(exchange);
            } else {
                proxy.handleRequest(exchange);
            }
        });
    }

    /** With a refresh proxy, a token's {@code exp} is an expiry too (when the connect proxy gave none). */
    private static HttpHandler tokenExpiry(HttpHandler next) {
        return exchange -> {
            Long expiresAt = exchange.getAttachment(AuthHandshakeHandler.EXPIRES_AT);
            Handshake known = exchange.getAttachment(Handshake.KEY);
            Handshake handshake = known == null ? Handshake.NONE : known;
            if (expiresAt != null && expiresAt > 0 && handshake.expiresAt() == 0) {
                exchange.putAttachment(Handshake.KEY, handshake.expiring(expiresAt));
            }
            next.handleRequest(exchange);
        };
    }

    /** Stops the HTTP client's threads (calls in flight fail; the loop is stopping anyway). */
    public void close() {
        http.shutdownNow();
    }

    private ProxyCaller caller(ProxyKind kind, ProxyConfig.Endpoint endpoint) {
        return new ProxyCaller(kind, endpoint, config, http, context.loop(), context.codec().mapper(), signature,
                ids.nodeId(), meters);
    }

    /** The services with a subscribe-like step: their name in proxy calls, that step, and where its channel is. */
    private enum Subscribable {
        PUBSUB("pubsub", "subscribe", "channel"),
        CHAT("chat", "join", "channel"),
        CURSORS("cursors", "join", "document"),
        DATASYNC("datasync", "acquireSubscription", "token");

        final String wireName;
        final String command;
        final String channelParam;

        Subscribable(String wireName, String command, String channelParam) {
            this.wireName = wireName;
            this.command = command;
            this.channelParam = channelParam;
        }

        static Subscribable of(Service service) {
            return switch (service) {
                case PubSubService s -> PUBSUB;
                case ChatService s -> CHAT;
                case CursorsService s -> CURSORS;
                case DataSyncService s -> DATASYNC;
                default -> null;
            };
        }
    }

    private void installAdmissions() {
        ProxyCaller subscribe = config.subscribe().map(e -> caller(ProxyKind.SUBSCRIBE, e)).orElse(null);
        ProxyCaller publish = config.publish().map(e -> caller(ProxyKind.PUBLISH, e)).orElse(null);
        for (String name : publicRegistry.serviceNames()) {
            Service service = publicRegistry.service(name).orElseThrow();
            Subscribable kind = Subscribable.of(service);
            if (kind == null) {
                continue;
            }
            List<ProxyAdmission.Step> steps = new ArrayList<>();
            if (subscribe != null) {
                steps.add(new ProxyAdmission.Step(kind.command, kind.channelParam, null, subscribe,
                        config.subscribeChannels()));
            }
            if (publish != null && kind == Subscribable.PUBSUB) {
                steps.add(new ProxyAdmission.Step("publish", "channel", "message", publish, config.publishChannels()));
            }
            if (!steps.isEmpty()) {
                ((RpcService) service).admitWith(new ProxyAdmission(kind.wireName, publicRegistry, ids, steps));
            }
        }
    }
}
