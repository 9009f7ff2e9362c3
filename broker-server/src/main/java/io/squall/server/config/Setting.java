package io.squall.server.config;

import java.util.Locale;

/**
 * One configuration key: its properties/flag name, its default and its meaning. The environment variable is
 * derived: {@code public.port} is {@code SQUALL_PUBLIC_PORT}.
 */
public enum Setting {
    PUBLIC_HOST("public.host", "0.0.0.0", "Address of the public WebSocket listener."),
    PUBLIC_PORT("public.port", "8080", "Port of the public listener (0 picks a free one)."),
    WS_PATH("ws.path", "/ws", "Path of the public WebSocket endpoint."),
    PUBLIC_URL("public.url", "", "Base URL browsers reach the public port at, e.g. `https://broker.example.com`: its origin is the broker's own,"
            + " allowed to open WebSockets. Empty: `http://localhost`, `127.0.0.1` or `[::1]` on `public.port`. Never taken from the `Host` header."),
    PRIVATE_HOST("private.host", "127.0.0.1", "Address of the private backend listener."),
    PRIVATE_PORT("private.port", "8081", "Port of the private listener (0 picks a free one)."),
    BACKEND_KEY("backend.key", "", "Backend API key (16+ chars). Empty: a strong key is generated at start and logged once."),
    METRICS_KEY("metrics.key", "", "Bearer token `/metrics` on the private port asks for (16+ chars, `Authorization: Bearer ...`). Empty: `/metrics` is open, like `/health`;"
            + " the private port's binding (loopback by default) protects it."),
    CONSOLE_PASSWORD("console.password", "", "Password of the web console at `/console` on the private port (16+ chars); setting it turns the console on. See docs/console.md."),
    CONSOLE_ENABLED("console.enabled", "false", "`true` turns the web console on with the backend key as its password, when `console.password` is empty."),
    CONSOLE_SESSION_TTL("console.session.ttl", "8h", "How long a console login lasts; then the console asks for the password again."),
    CONSOLE_MAX_SESSIONS("console.max.sessions", "16", "Console logins held at once; a new one past it ends the oldest."),
    CONSOLE_SECURE_COOKIE("console.secure.cookie", "false", "`true` marks the console's session cookie `Secure`: set it when browsers reach the private port over HTTPS (a TLS proxy)."),
    HOOKS_SECRET("hooks.secret", "", "Secret (16+ chars) that signs every proxy and webhook call to the application (`X-Squall-Signature: sha256=<HMAC-SHA256 of the body>`); required once a proxy or webhook is configured. See docs/hooks.md."),
    PROXY_CONNECT_URL("proxy.connect.url", "", "Connect proxy: URL the application answers connections without a token at (with one too when `proxy.connect.always`); empty: off. See docs/hooks-proxies.md."),
    PROXY_CONNECT_TIMEOUT("proxy.connect.timeout", "2s", "Connect proxy: longest the handshake waits for the application's answer (then 503)."),
    PROXY_CONNECT_ALWAYS("proxy.connect.always", "false", "`true`: the connect proxy is asked for connections with a token too (the token is still checked first)."),
    PROXY_REFRESH_URL("proxy.refresh.url", "", "Refresh proxy: URL asked to extend an identity before it expires (the connect proxy's `expiresAt`, else the token's `exp`); empty: a connect proxy's identity ends at its `expiresAt` (4006), a token's is checked at the handshake only."),
    PROXY_REFRESH_TIMEOUT("proxy.refresh.timeout", "2s", "Refresh proxy: longest one call waits."),
    PROXY_SUBSCRIBE_URL("proxy.subscribe.url", "", "Subscribe proxy: URL asked before PubSub `subscribe`, Chat `join`, Cursors `join` and DataSync `acquireSubscription`; empty: off."),
    PROXY_SUBSCRIBE_TIMEOUT("proxy.subscribe.timeout", "2s", "Subscribe proxy: longest one call waits (then `Timeout`)."),
    PROXY_SUBSCRIBE_CHANNELS("proxy.subscribe.channels", "", "Subscribe proxy: channel patterns (as in `pubsub.permissions`, separated by `;`) it applies to; empty: every channel, document and token."),
    PROXY_PUBLISH_URL("proxy.publish.url", "", "Publish proxy: URL asked before a client's PubSub `publish` (it may refuse or replace the data); empty: off."),
    PROXY_PUBLISH_TIMEOUT("proxy.publish.timeout", "2s", "Publish proxy: longest one call waits (then `Timeout`)."),
    PROXY_PUBLISH_CHANNELS("proxy.publish.channels", "", "Publish proxy: channel patterns it applies to, separated by `;`; empty: every channel."),
    PROXY_RPC_URL("proxy.rpc.url", "", "RPC proxy: URL every command of the public service `proxy.rpc.service` is forwarded to; empty: off."),
    PROXY_RPC_TIMEOUT("proxy.rpc.timeout", "5s", "RPC proxy: longest one call waits (then `Timeout`)."),
    PROXY_RPC_SERVICE("proxy.rpc.service", "app", "RPC proxy: name of the public service whose commands go to the application."),
    PROXY_MAX_CONCURRENCY("proxy.max.concurrency", "64", "Calls each proxy may have in flight; one more is answered `Overloaded` at once."),
    PROXY_BREAKER_FAILURES("proxy.breaker.failures", "5", "Consecutive failures of a proxy that open its circuit breaker: calls are then answered `Unavailable` at once."),
    PROXY_BREAKER_COOLDOWN("proxy.breaker.cooldown", "5s", "How long an open breaker answers `Unavailable` before it lets one probe call through (a success closes it)."),
    PROXY_HEADERS("proxy.headers", "", "Comma-separated handshake headers passed through to every proxy call, e.g. `Cookie,Authorization`; empty: none."),
    WEBHOOKS_URL("webhooks.url", "", "URL the lifecycle webhooks are POSTed to (`http://` or `https://`); empty: no webhooks. Needs `hooks.secret`. See docs/hooks-webhooks.md."),
    WEBHOOKS_CHANNELS("webhooks.channels", "", "Which channels (of the services in `webhooks.services`) report which events, rules separated by `;`: `PATTERN EVENT[,EVENT...]` with events `occupied`, `vacated`, `subscribed`, `unsubscribed`, e.g. `orders:* occupied,vacated,subscribed`; the first matching rule decides, other channels report nothing."),
    WEBHOOKS_SERVICES("webhooks.services", "pubsub", "Services whose channels `webhooks.channels` applies to, comma-separated: `pubsub` (a subscription), `chat` (a member: `join` to `leave` or the close); events carry the service's name."),
    WEBHOOKS_CONNECTIONS("webhooks.connections", "", "Connection events reported, comma-separated: `connected`, `disconnected`; empty: none."),
    WEBHOOKS_BATCH_SIZE("webhooks.batch.size", "100", "Most events one webhook POST carries (1-1000)."),
    WEBHOOKS_QUEUE_SIZE("webhooks.queue.size", "10000", "Events waiting for delivery; past it new events are dropped and counted (`broker_webhooks_events_dropped_total`, a WARN line, `/health` details)."),
    WEBHOOKS_TIMEOUT("webhooks.timeout", "5s", "Longest one webhook POST waits for the application's answer; then it is retried."),
    WEBHOOKS_RETRY_MIN("webhooks.retry.min", "200ms", "First wait before a failed webhook POST is sent again; doubles on each failure, with jitter."),
    WEBHOOKS_RETRY_MAX("webhooks.retry.max", "10s", "Longest wait between retries of a webhook POST (it is retried until the application takes it)."),
    BACKEND_DEADLINE("backend.deadline", "10s", "Longest a backend request waits for its replies; then it is answered `Timeout`."),
    BACKEND_MAX_BODY_BYTES("backend.max.body.bytes", "1MiB", "Largest backend HTTP body; larger ones get 413."),
    ALLOWED_ORIGINS("allowed.origins", "", "Comma-separated browser origins allowed besides the broker's own (`public.url`), each `scheme://host[:port]` exactly,"
            + " e.g. `https://app.example.com,https://*.example.com`; `*` allows any well-formed origin, `null` the opaque one (only when listed)."),
    ALLOW_MISSING_ORIGIN("allow.missing.origin", "true", "Accept handshakes without an `Origin` header (non-browser clients)."),
    PING_INTERVAL("ping.interval", "25s", "How often an idle connection is pinged."),
    PONG_TIMEOUT("pong.timeout", "10s", "How long a ping may go unanswered before the connection is closed (4002)."),
    MAX_FRAME_BYTES("max.frame.bytes", "64KiB", "Largest inbound frame; a larger one closes the connection with 1009."),
    MAX_QUEUED_BYTES("max.queued.bytes", "1MiB", "Outbound bytes a connection may have waiting, pongs included; above it, it is closed as a slow consumer (4001)."),
    MAX_SUBSCRIPTIONS("max.subscriptions", "128", "PubSub subscriptions per connection."),
    MAX_KEY_BYTES("max.key.bytes", "1KiB", "Largest key a client may name (a channel, chat channel, participant name, cursors document or handle, DataSync token, `callId`): a string's UTF-8 bytes, other JSON its text's; larger is `Invalid params` (`Invalid message` for a `callId`)."),
    MAX_CONNECTION_STATE_BYTES("max.connection.state.bytes", "64KiB", "Most the keys one connection holds over every service may add up to (subscriptions, joined channels and documents, names, cursors with their data, acquired DataSync tokens); past it, `Too much state`."),
    HTTP_HEADER_TIMEOUT("http.header.timeout", "10s", "Both ports: longest a connection may take to send a whole request head (the WebSocket handshake included),"
            + " counted from its opening, or from the end of its previous request; then it is closed."),
    HTTP_MAX_HEADER_BYTES("http.max.header.bytes", "16KiB", "Both ports: largest request head (request line, `?token=` included, and headers); a larger one gets 400 and the connection is closed."),
    HTTP_MAX_PENDING_CONNECTIONS("http.max.pending.connections", "1024", "Per port: connections that have not yet sent a whole first request head; past it, new connections are closed at once."),
    MAX_CONNECTIONS("max.connections", "0", "Public WebSocket connections; past it, handshakes get 503. 0: no cap of its own (`fd.reserve` still applies)."),
    FD_RESERVE("fd.reserve", "256", "File descriptors the public port leaves free for the private one (backends, `/health`) and the broker: it refuses new connections when fewer are left."),
    CLIENTS_MAY_PUBLISH("clients.may.publish", "true", "`true`: public clients may publish (as Snorky). `false`: backend only."),
    PUBSUB_SERVICE("pubsub.service", "pubsub", "Name of the public PubSub service."),
    PUBSUB_BACKEND_SERVICE("pubsub.backend.service", "pubsub_backend", "Name of the private PubSub service."),
    PUBSUB_PERMISSIONS("pubsub.permissions", "", "PubSub permission rules, separated by `;`, e.g. `allow subscribe user:{identity}; allow subscribe news:*`. Empty: anyone subscribes. See docs/security.md."),
    ENGINE("engine", "memory", "Where publications, history and presence live: `memory` (one node, nothing to run) or `redis` (any number of nodes sharing Redis)."),
    REDIS_ADDRESS("redis.address", "redis://127.0.0.1:6379", "Redis URI(s), comma-separated: `redis://[user:password@]host:port`, `rediss://` for TLS, `redis-sentinel://...#master`. One in standalone mode; any cluster node(s) in cluster mode; every shard, in a fixed order, in sharded mode."),
    REDIS_MODE("redis.mode", "standalone", "`standalone` (one Redis or Sentinel), `cluster` (Redis Cluster with sharded pub/sub) or `sharded` (channels spread over independent Redis instances)."),
    REDIS_PREFIX("redis.prefix", "squall", "First part of every Redis key and channel name; nodes of one cluster share it."),
    REDIS_PARTITIONS("redis.partitions", "128", "Channel partitions (the hash tag of every key): fixed for the life of the data; changing it starts every channel's history anew."),
    REDIS_COMMAND_TIMEOUT("redis.command.timeout", "2s", "Longest a Redis call waits; then it is answered `Unavailable`."),
    REDIS_PROBE_INTERVAL("redis.probe.interval", "30s", "A pub/sub connection silent this long probes itself, and is rebuilt if the probe does not come back."),
    REDIS_HEARTBEAT_INTERVAL("redis.heartbeat.interval", "3s", "How often each node announces itself to the others (at least 100ms). Every node of a cluster should use the same value."),
    REDIS_NODE_TIMEOUT("redis.node.timeout", "", "A node silent this long since its latest heartbeat is down: the others free what it held (Chat members, Messaging names, cursors, DataSync subscriptions)."
            + " At least twice `redis.heartbeat.interval`; empty: 2.5 times it. Checked four times per heartbeat, so a dead node is found between the timeout minus one interval and the timeout plus a quarter of one after it died. Same value on every node."),
    NODE_ID("node.id", "", "This node's name among the nodes sharing Redis; empty: the host name and a random suffix."),
    PUBSUB_CHANNELS("pubsub.channels", "", "History and presence by channel pattern, rules separated by `;`: `PATTERN [size=N ttl=DURATION] [presence]`, e.g. `news:* size=100 ttl=10m; room:* size=50 ttl=1h presence`. Other channels are live only. See docs/protocol.md."),
    RECOVERY_MAX_PUBLICATIONS("recovery.max.publications", "300", "Most publications one recovery delivers (more missed: `recovered: false`) and one `history` call returns."),
    POSITION_CHECK_INTERVAL("position.check.interval", "40s", "How often positioned subscriptions are compared with their stream's top, to catch a publication lost in transit."),
    HISTORY_META_TTL("history.meta.ttl", "30d", "How long a channel's epoch and offset outlive its last publish or read; keep it far above any history TTL."),
    IDEMPOTENCY_TTL("idempotency.ttl", "5m", "How long a backend publish's `idempotencyKey` answers retries with the first result."),
    PRESENCE_TTL("presence.ttl", "60s", "How long a presence entry lives unless its connection's node refreshes it (every third of it)."),
    AUTH_ANONYMOUS("auth.anonymous", "auto", "Accept connections without a token: `true`, `false`, or `auto` (yes unless a token key is configured)."),
    AUTH_JWT_SECRET("auth.jwt.secret", "", "Shared HMAC secret (32+ bytes) for HS256/384/512 tokens; also signs minted tokens."),
    AUTH_JWT_PUBLIC_KEY("auth.jwt.public.key", "", "PEM file with an RSA or EC public key, for `RS*`, `PS*` and `ES*` tokens."),
    AUTH_JWT_JWKS("auth.jwt.jwks", "", "JWKS file (JSON Web Key Set) with public keys, chosen by `kid`."),
    AUTH_JWT_PRIVATE_KEY("auth.jwt.private.key", "", "PEM (PKCS#8) RSA or EC private key that signs minted tokens when there is no secret."),
    AUTH_JWT_ISSUER("auth.jwt.issuer", "", "Required `iss` claim, when set."),
    AUTH_JWT_AUDIENCE("auth.jwt.audience", "", "Required `aud` claim, when set."),
    AUTH_JWT_LEEWAY("auth.jwt.leeway", "30s", "Clock skew allowed when checking `exp` and `nbf`."),
    AUTH_IDENTITY_CLAIM("auth.identity.claim", "sub", "Token claim whose value (any JSON) is the connection's identity."),
    AUTH_TOKEN_TTL("auth.token.ttl", "1h", "Lifetime of a token minted by the backend when it gives none."),
    AUTH_TOKEN_MAX_TTL("auth.token.max.ttl", "24h", "Longest lifetime a backend may ask for when minting a token."),
    AUTH_BACKEND_SERVICE("auth.backend.service", "auth_backend", "Name of the private service that mints tokens and disconnects users."),
    LOOP_QUEUE_CAPACITY("loop.queue.capacity", "65536", "Tasks waiting for the event loop before requests are answered `Overloaded`."),
    WORKER_THREADS("worker.threads", "4", "Threads for blocking work handed off by the event loop."),
    IO_THREADS("io.threads", "0", "Undertow IO threads; 0 means one per core (at least 2)."),
    SHUTDOWN_TIMEOUT("shutdown.timeout", "10s", "Longest a graceful stop waits for clients and requests."),
    LOG_LEVEL("log.level", "INFO", "Level of Squall's own loggers: ERROR, WARN, INFO, DEBUG or TRACE."),
    PLUGINS_DIR("plugins.dir", "", "Directory of plugin jars (docs/services.md): each lists its `io.squall.api.SquallPlugin` for `ServiceLoader` and reads its own keys `plugin.<name>.<key>`"
            + " (env `SQUALL_PLUGIN_<NAME>_<KEY>`), checked at start. A jar that does not load, a plugin that throws or a bad key stops the start, naming the plugin. Empty: no plugins."),
    CHAT_SERVICE("chat.service", "chat", "Name of the Chat service; empty turns it off."),
    CHAT_REGISTRY("chat.registry", "public", "Registry Chat runs in. Only `public` works: Chat needs an identity, which backend connections lack,"
            + " so `private` is refused at start."),
    CHAT_MAX_CHANNELS("chat.max.channels", "128", "Chat channels one connection may have joined."),
    MESSAGING_SERVICE("messaging.service", "messaging", "Name of the Messaging service; empty turns it off."),
    MESSAGING_REGISTRY("messaging.registry", "public", "Registry Messaging runs in: `public` or `private`."),
    MESSAGING_MAX_NAMES("messaging.max.names", "16", "Participant names one connection may hold."),
    MESSAGING_NAMES("messaging.names", "any", "`any`: any free name may be registered (as Snorky). `identity`: only the connection's own identity."),
    CURSORS_SERVICE("cursors.service", "cursors", "Name of the Cursors service; empty turns it off."),
    CURSORS_REGISTRY("cursors.registry", "public", "Registry Cursors runs in. Only `public` works: Cursors needs an identity, which backend connections lack,"
            + " so `private` is refused at start."),
    CURSORS_MAX_DOCUMENTS("cursors.max.documents", "128", "Cursors documents one connection may have joined."),
    DATASYNC_SERVICE("datasync.service", "datasync", "Name of the DataSync service; empty turns it and its backend off."),
    DATASYNC_REGISTRY("datasync.registry", "public", "Registry DataSync runs in: `public` or `private`."),
    DATASYNC_BACKEND_SERVICE("datasync.backend.service", "datasync_backend", "Name of DataSync's backend service (private registry); empty turns it off."),
    DATASYNC_DEALERS("datasync.dealers", "", "DataSync dealers, comma-separated `name=broadcast:Model`, `name=filter:Model` or `name=simple:Model:field.path`."),
    DATASYNC_TOKEN_EXPIRY("datasync.token.expiry", "120s", "How long an authorized subscription waits to be acquired before it is dropped."),
    DATASYNC_MAX_BUFFERED_DELTAS("datasync.max.buffered.deltas", "1024", "Deltas one unacquired subscription buffers; one more drops it (`Too many deltas`)."),
    DATASYNC_MAX_SUBSCRIPTIONS("datasync.max.subscriptions", "128", "DataSync subscriptions one connection may have acquired."),
    DATASYNC_MAX_PENDING("datasync.max.pending", "65536", "DataSync subscriptions authorized but not yet acquired, in all (per node on Redis)."),
    DATASYNC_HISTORY_SIZE("datasync.history.size", "10000", "On Redis: `publishDeltas` calls kept (for `datasync.token.expiry` after the latest) so a token acquired on any node gets the deltas published since it was authorized; an acquire that would need older ones is `Too many deltas`."),
    SNAP_PORT("snap.port", "", "Serial device of the SNAP bridge node, e.g. `/dev/snap1`, `/dev/ttyUSB0` or a pty link; empty: no SNAP bridge (docs/snap.md)."),
    SNAP_BAUD("snap.baud", "38400", "SNAP serial line speed in bits per second."),
    SNAP_DATA_BITS("snap.data.bits", "8", "SNAP serial data bits (5-8)."),
    SNAP_PARITY("snap.parity", "none", "SNAP serial parity: none, even, odd, mark or space."),
    SNAP_STOP_BITS("snap.stop.bits", "1", "SNAP serial stop bits: 1, 1.5 or 2."),
    SNAP_WRITE_TIMEOUT("snap.write.timeout", "2s", "Longest a write to the SNAP port may block (on the writer thread) before the link is reopened."),
    SNAP_CODEC("snap.codec", "snapb1", "SNAP frame codec: `snapb1`, `line`, or the class name of a `SnapFrameCodec` plug-in."),
    SNAP_CHANNEL_TEMPLATE("snap.channel.template", "snap/{src}/{function}", "Channel of each node RPC; `{src}`, `{dst}`, `{function}`, `{kind}` are replaced once, by values percent-encoded outside `A-Za-z0-9_-`."),
    SNAP_ALL_CHANNEL("snap.all.channel", "snap/all", "Channel that also gets every node RPC (the live page reads it); empty: none."),
    SNAP_NODES_CHANNEL("snap.nodes.channel", "snap/nodes", "Channel of node joined/left events."),
    SNAP_LINK_CHANNEL("snap.link.channel", "snap/link", "Channel of SNAP serial link up/down events."),
    SNAP_NODE_TIMEOUT("snap.node.timeout", "60s", "A SNAP node silent this long has left."),
    SNAP_MAX_NODES("snap.max.nodes", "1024", "SNAP nodes remembered; past it the longest-silent is forgotten."),
    SNAP_POLL_INTERVAL("snap.poll.interval", "5ms", "How often the event loop reads the SNAP port when it polls it (`snap.read.mode`)."),
    SNAP_READ_MODE("snap.read.mode", "auto", "How serial input reaches the event loop: `auto` (readiness where the port can be watched, Linux and other Unix; polling elsewhere), `readiness` (serial input wakes the loop; the link stays down where that is impossible) or `poll` (every `snap.poll.interval`)."),
    SNAP_RECONNECT_MIN("snap.reconnect.min", "500ms", "First wait before reopening a lost SNAP port; doubles on each failure."),
    SNAP_RECONNECT_MAX("snap.reconnect.max", "10s", "Longest wait between SNAP port reopen attempts."),
    SNAP_HOST_ADDRESS("snap.host.address", "000020", "The broker's own SNAP address (6 hex digits), the source of host RPCs."),
    SNAP_SERVICE("snap.service", "snap", "Name of the SNAP RPC service (private registry)."),
    SNAP_PUBLIC_FUNCTIONS("snap.public.functions", "", "Comma-separated node functions public clients may call through a public SNAP service; empty: no public SNAP service."),
    SNAP_SEND_QUEUE("snap.send.queue", "64", "Frames waiting for the SNAP serial writer before host RPCs are answered `Send queue full`."),
    SNAP_OWNER_TTL("snap.owner.ttl", "10s", "On several nodes sharing Redis: how long a node's claim on the SNAP port lasts unless it refreshes it (every third); a standby node with the same `snap.port` takes over within it when the owner dies (docs/cluster.md).");

    private final String key;
    private final String defaultValue;
    private final String meaning;

    Setting(String key, String defaultValue, String meaning) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.meaning = meaning;
    }

    public String key() {
        return key;
    }

    public String envVar() {
        return "SQUALL_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String meaning() {
        return meaning;
    }

    public static Setting byKey(String key) {
        for (Setting setting : values()) {
            if (setting.key.equals(key)) {
                return setting;
            }
        }
        return null;
    }
}
