package io.squall.server.hooks;

/** The application's proxies: each is an {@code X-Squall-Hook} value, and whether a failed call may be retried. */
public enum ProxyKind {
    CONNECT("connect", true),
    REFRESH("refresh", true),
    SUBSCRIBE("subscribe", true),
    /** never retried: the application may have acted on the first call (stored the message, say) */
    PUBLISH("publish", false),
    RPC("rpc", false);

    private final String wireName;
    private final boolean idempotent;

    ProxyKind(String wireName, boolean idempotent) {
        this.wireName = wireName;
        this.idempotent = idempotent;
    }

    /** The {@code X-Squall-Hook} header's value and the {@code proxy} label of its metrics. */
    public String wireName() {
        return wireName;
    }

    /** Whether a call that could not connect is tried once more. */
    public boolean idempotent() {
        return idempotent;
    }
}
