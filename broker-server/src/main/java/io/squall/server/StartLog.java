package io.squall.server;

import io.squall.server.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a started broker tells its log: where it listens and how it is guarded. */
final class StartLog {
    private static final Logger log = LoggerFactory.getLogger(BrokerServer.class);

    private StartLog() {}

    static void report(ServerConfig config, BrokerServer server) {
        if (config.backendKey().isEmpty()) {
            log.warn("no backend.key configured; generated one for this run: {} (set SQUALL_BACKEND_KEY to choose it)",
                    server.backendKey());
        }
        log.info("public WebSocket on ws://{}:{}{}, private backend on http://{}:{}/backend", config.publicHost(),
                server.publicPort(), config.wsPath(), config.privateHost(), server.privatePort());
        config.console().ifPresent(console -> log.info("web console on http://{}:{}/console/ (password: {})",
                config.privateHost(), server.privatePort(),
                console.password().isPresent() ? "console.password" : "the backend key"));
        if (config.snap().isPresent()) {
            String host = config.publicHost().equals("0.0.0.0") || config.publicHost().equals("::")
                    ? "localhost" : config.publicHost();
            log.info("SNAP live page on http://{}:{}/snap/", host, server.publicPort());
        }
        log.info("identity: {}; anonymous connections {}; pubsub permissions: {}",
                config.auth().verifiesTokens() ? "JWT checked at the handshake" : "no token key configured",
                config.auth().allowsAnonymous() ? "allowed" : "refused (401)",
                config.pubsubPermissions().isEmpty() ? "none (anyone subscribes)"
                        : config.pubsubPermissions().size() + " rule(s); anything they do not allow is refused");
    }
}
