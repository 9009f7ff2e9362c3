package io.squall.core.error;

/**
 * Every error name Squall sends in {@code {"type":"error","message":name}} replies, each defined once with its exact
 * wire string and when it is sent. Snorky's names keep Snorky's exact wording (its clients match on them); the
 * ones Squall adds say what Snorky crashed on or had no limit for. {@code when} is the text of docs/protocol.md's
 * "Error names" table, which a test holds equal to this enum.
 */
public enum ErrorName {
    // the envelope and RPC layer, every service
    INVALID_JSON("Invalid JSON", "The frame is not JSON, has trailing garbage or duplicate keys, breaks a JSON read"
            + " limit (below), or is a binary frame."),
    INVALID_ENVELOPE("Invalid envelope", "The frame is JSON but not an object with a string `service` and a"
            + " `message`."),
    UNKNOWN_SERVICE("Unknown service", "No service of that name in this registry (public and private registries"
            + " differ)."),
    INVALID_MESSAGE("Invalid message", "An RPC service got a `message` that is not an object with a string"
            + " `command`, or whose `callId` is larger than `max.key.bytes`."),
    UNKNOWN_COMMAND("Unknown command", "The service has no such command."),
    INVALID_PARAMS("Invalid params", "`params` is missing or not an object, or its keys do not bind (missing, extra,"
            + " wrong type), or a key it names (a channel, a name, a document, a handle, a token) is larger than"
            + " `max.key.bytes`."),
    /** Leaving something frees room. */
    TOO_MUCH_STATE("Too much state", "The keys this connection holds over every service, with the one asked for,"
            + " would pass `max.connection.state.bytes` (see [Limits](#limits)); nothing was done."),
    INTERNAL_ERROR("Internal error", "A bug on the server; it is logged once with the client's description. The"
            + " connection stays."),
    OVERLOADED("Overloaded", "The event loop's queue is full (`loop.queue.capacity`), an application proxy already"
            + " has `proxy.max.concurrency` calls in flight, or the worker pool a service hands blocking work to is"
            + " full (docs/services.md); the request did not run. Retry later."),
    TIMEOUT("Timeout", "Backend: no reply before `backend.deadline`. Proxies: the application did not answer within"
            + " the proxy's `proxy.*.timeout`; the command did not run."),
    UNAVAILABLE("Unavailable", "The engine (Redis) cannot be reached or did not confirm within"
            + " `redis.command.timeout`. Refused before it reached Redis, the call did nothing; a publish already"
            + " written to a Redis that then stalled may still be applied, so retry with backoff and the same"
            + " `idempotencyKey`. Proxies: the application's circuit breaker is open, it cannot be reached, or it"
            + " answered other than HTTP 200 with a valid answer (docs/hooks-proxies.md); the command did not run."),

    // PubSub (and DataSync, SNAP where the same name fits)
    ALREADY_SUBSCRIBED("Already subscribed", "PubSub `subscribe` to a channel this connection is already on."),
    NOT_SUBSCRIBED("Not subscribed", "PubSub `unsubscribe` from a channel this connection is not on."),
    NOT_AUTHORIZED("Not authorized", "PubSub `subscribe`, `publish`, `history` or `presence` refused by"
            + " `pubsub.permissions`, or a client `publish` when `clients.may.publish=false`; SNAP `rpc` or `mcastRpc`"
            + " from a public client for a function not in `snap.public.functions`."),
    HISTORY_NOT_ENABLED("History not enabled", "PubSub positioned `subscribe` or `history` on a channel no"
            + " `pubsub.channels` rule gives a history."),
    PRESENCE_NOT_ENABLED("Presence not enabled", "PubSub `presence` or `presence_stats` on a channel no"
            + " `pubsub.channels` rule gives presence."),
    UNRECOVERABLE_POSITION("Unrecoverable position", "PubSub `history` with `since` of another epoch: that history"
            + " is gone."),
    TOO_MANY_SUBSCRIPTIONS("Too many subscriptions", "PubSub `subscribe` past `max.subscriptions` for this"
            + " connection; DataSync `acquireSubscription` past `datasync.max.subscriptions`."),

    // Chat and Cursors
    /** Services get it from {@link io.squall.core.Identity#require}. */
    NOT_AUTHENTICATED("Not authenticated", "Chat and Cursors `join` on an anonymous connection (no token at the"
            + " handshake; see `auth.anonymous`). Exactly Snorky's string."),
    ALREADY_JOINED("Already joined", "Chat `join` of a channel, Cursors `join` of a document, this connection is"
            + " already in."),
    NOT_JOINED("Not joined", "Chat `leave`/`send`, Cursors `leave`/`createCursor`, for a channel or document this"
            + " connection is not in."),
    TOO_MANY_CHANNELS("Too many channels", "Chat `join` past `chat.max.channels` for this connection."),

    // Messaging
    NAME_ALREADY_REGISTERED("Name already registered", "Messaging `registerParticipant` of a taken name."),
    NAME_NOT_ALLOWED("Name not allowed", "Messaging `registerParticipant` of a name the name policy refuses"
            + " (`messaging.names`)."),
    TOO_MANY_NAMES("Too many names", "Messaging `registerParticipant` past `messaging.max.names` for this"
            + " connection."),
    UNKNOWN_PARTICIPANT("Unknown participant", "Messaging `unregisterParticipant` of a name nobody holds."),
    INVALID_PARTICIPANT("Invalid participant", "Messaging `unregisterParticipant` of another connection's name."),
    INVALID_SENDER("Invalid sender", "Messaging `send` from a name this connection does not hold."),
    UNKNOWN_DESTINATION("Unknown destination",
            "Messaging `send` to a name nobody holds (or whose node died before delivering it)."),

    // Cursors
    REUSED_HANDLE("Reused handle", "Cursors `createCursor` with a `privateHandle` this connection already uses."),
    /** 16 cursors per connection, as in Snorky; also when a document has no free public handle left. */
    TOO_MANY_CURSORS("Too many cursors", "Cursors `createCursor` past 16 cursors for this connection (or, in"
            + " theory, 65,536 in one document)."),
    NO_SUCH_CURSOR("No such cursor", "Cursors `updateCursor`/`removeCursor` with a `privateHandle` this connection"
            + " does not use."),
    TOO_MANY_DOCUMENTS("Too many documents", "Cursors `join` past `cursors.max.documents` for this connection."),

    // DataSync
    TOKEN_MUST_BE_STRING("token must be string", "DataSync `acquireSubscription`/`cancelSubscription` with a token"
            + " that is not a string."),
    NO_SUCH_SUBSCRIPTION("No such subscription", "DataSync: unknown (or expired) token; `cancelSubscription` of a"
            + " token this connection has not acquired."),
    ALREADY_ACQUIRED("Already acquired", "DataSync `acquireSubscription` of a token already acquired (by anyone)."),
    TOO_MANY_DELTAS("Too many deltas", "DataSync `acquireSubscription` of a subscription whose buffer overflowed"
            + " (`datasync.max.buffered.deltas`), or, on Redis, whose deltas the engine no longer holds"
            + " (`datasync.history.size`)."),
    DEALER_NOT_A_NAME("dealer should be a dealer name", "DataSync backend `authorizeSubscription`: an item's"
            + " `dealer` is not a string."),
    NO_SUCH_DEALER("No such dealer", "DataSync backend `authorizeSubscription`: no dealer of that name"
            + " (`datasync.dealers`)."),
    MISSING_FIELD_DEALER("Missing field 'dealer'", ErrorName.MISSING_ITEM_KEY),
    MISSING_FIELD_QUERY("Missing field 'query'", ErrorName.MISSING_ITEM_KEY),
    INVALID_QUERY("Invalid query", "DataSync backend `authorizeSubscription`: the item's dealer cannot use its query"
            + " (a filter that is not a filter)."),
    TOO_MANY_PENDING("Too many pending subscriptions", "DataSync backend `authorizeSubscription` past"
            + " `datasync.max.pending` unacquired subscriptions."),
    MISSING_FIELD("Missing field", "DataSync backend `publishDeltas`: a delta lacks `type`, `model`, `data`,"
            + " `newData` or `oldData`."),
    MODEL_MUST_BE_STRING("model must be string", "DataSync backend `publishDeltas`: a delta's `model` is not a"
            + " string."),
    INVALID_DELTA_TYPE("Invalid delta type", "DataSync backend `publishDeltas`: `type` is not `insert`, `update` or"
            + " `delete`."),
    NO_SUCH_MODEL("No such model", "DataSync backend `publishDeltas`: no dealer handles the delta's model."),

    // auth_backend
    INVALID_IDENTITY("Invalid identity", "`auth_backend` `mintToken`: with the `sub` claim, the identity must be a"
            + " non-empty string."),
    TTL_TOO_LONG("TTL too long", "`auth_backend` `mintToken`: `ttl` above `auth.token.max.ttl`."),
    SIGNING_NOT_CONFIGURED("Token signing not configured", "`auth_backend` `mintToken` with neither"
            + " `auth.jwt.secret` nor `auth.jwt.private.key`."),

    // SNAP (SNAPconnect's wording where it has one)
    INVALID_ADDRESS("Invalid address", "SNAP `rpc`: `address` is not 3 bytes of hex."),
    INVALID_GROUP("Invalid group", "SNAP `mcastRpc`: `group` outside 1–65535."),
    INVALID_TTL("Invalid TTL", "SNAP `mcastRpc`: `ttl` outside 1–255 (SNAPconnect's rule)."),
    INVALID_FUNCTION("Invalid function name", "SNAP: the function name is empty, over 255 characters, not"
            + " printable ASCII without spaces, or starts with `\"`."),
    INT_OUT_OF_RANGE("Int out of range", "SNAP: an int argument outside −32768..32767."),
    STRING_TOO_LONG("Max string length is 255", "SNAP: a string or byte list argument over 255 bytes."),
    UNSUPPORTED_TYPE("Unsupported DataType", "SNAP: an argument SNAP cannot carry (a float, a nested array, an"
            + " object other than `hex`/`bytes`)."),
    PAYLOAD_TOO_LARGE("Payload too large", "SNAP: function name and arguments over one RPC packet's payload (108"
            + " bytes unicast, 111 multicast)."),
    LINK_DOWN("Link down", "SNAP: the serial port is not open; nothing was sent."),
    SEND_QUEUE_FULL("Send queue full", "SNAP: `snap.send.queue` frames already wait for the serial writer; nothing"
            + " was sent."),
    NOT_SENT("Not sent", "SNAP: the serial port refused the write (it is then reopened)."),
    NO_BRIDGE("No bridge", "SNAP on several nodes: no node owns the serial port now (its owner died and no node"
            + " configured with the same `snap.port` has taken it over yet); nothing was sent.");

    private static final String MISSING_ITEM_KEY = "DataSync backend `authorizeSubscription`: an item lacks the key.";

    private final String wireName;
    private final String when;

    ErrorName(String wireName, String when) {
        this.wireName = wireName;
        this.when = when;
    }

    /** The exact string on the wire. */
    public String wireName() {
        return wireName;
    }

    /** When it is sent: the row of docs/protocol.md's "Error names" table. */
    public String when() {
        return when;
    }
}
