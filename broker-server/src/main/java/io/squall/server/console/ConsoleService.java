package io.squall.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.error.CloseCode;
import io.squall.api.JsonKey;
import io.squall.core.rpc.NoParams;
import io.squall.core.rpc.RpcService;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.core.service.pubsub.PubSubStats;
import io.squall.redis.ClusterNodes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The console's {@code console} service: bounded snapshots of this node (and the live nodes the cluster's
 * heartbeats describe), its busiest channels and its public connections, each searchable. Runs on the loop like
 * every service, reading the registries and PubSub's maps in place; each answer is at most {@link #MAX_ROWS} rows.
 * It also ends the console connections of a login that was logged out, expired or pushed out (4003).
 */
final class ConsoleService extends RpcService {
    static final int MAX_ROWS = 500;
    private static final Duration SWEEP = Duration.ofSeconds(1);

    /** {@code channels} and {@code connections}: a case-insensitive substring ("" for all) and a row count. */
    record Query(String search, int limit) {}

    /** Names and channels the page needs to talk to the other services in its registry. */
    record Wiring(String nodeId, String address, ObjectNode services, ObjectNode snapChannels) {}

    private final ServiceRegistry publicRegistry;
    private final ServiceRegistry consoleRegistry;
    private final PubSubService pubsub;
    private final ConsoleSessions sessions;
    private final Supplier<List<ClusterNodes.Node>> clusterNodes;
    private final IntSupplier loopQueue;
    private final Supplier<ObjectNode> snapHealth;
    private final Wiring wiring;

    ConsoleService(String name, ServiceContext context, ServiceRegistry publicRegistry, ServiceRegistry consoleRegistry,
            PubSubService pubsub, ConsoleSessions sessions, Supplier<List<ClusterNodes.Node>> clusterNodes,
            IntSupplier loopQueue, Supplier<ObjectNode> snapHealth, Wiring wiring) {
        super(name, context);
        this.publicRegistry = publicRegistry;
        this.consoleRegistry = consoleRegistry;
        this.pubsub = pubsub;
        this.sessions = sessions;
        this.clusterNodes = clusterNodes;
        this.loopQueue = loopQueue;
        this.snapHealth = snapHealth;
        this.wiring = wiring;
        commands()
                .add("overview", NoParams.class, (r, p) -> overview())
                .add("channels", Query.class, (r, q) -> channels(bounded(q)))
                .add("connections", Query.class, (r, q) -> connections(bounded(q)));
        context.loop().scheduleAtFixedRate(SWEEP, SWEEP, this::endLoggedOut);
    }

    private ObjectNode overview() {
        ObjectNode view = mapper().createObjectNode();
        ObjectNode node = view.putObject("node");
        node.put("id", wiring.nodeId());
        node.put("address", wiring.address());
        node.put("connections", publicRegistry.clientCount());
        node.put("identities", publicRegistry.identityCount());
        node.put("subscriptions", pubsub.stats().subscriptionCount());
        node.put("channels", pubsub.channelCount());
        node.put("loopQueue", loopQueue.getAsInt());
        node.put("messagesIn", context.metrics().messagesInTotal());
        node.put("messagesOut", context.metrics().messagesOutTotal());
        node.put("consoles", consoleRegistry.clientCount());
        ArrayNode nodes = view.putArray("nodes");
        for (ClusterNodes.Node other : clusterNodes.get()) {
            ObjectNode row = nodes.addObject().put("id", other.nodeId()).put("address", other.address())
                    .put("connections", other.connections()).put("subscriptions", other.subscriptions());
            ClusterNodes.Activity activity = other.activity();
            if (activity == null) { // a node of an older version: its heartbeat does not say
                row.putNull("loopQueue").putNull("messagesInPerSecond").putNull("messagesOutPerSecond");
            } else {
                row.put("loopQueue", activity.loopQueue())
                        .put("messagesInPerSecond", activity.messagesInPerSecond())
                        .put("messagesOutPerSecond", activity.messagesOutPerSecond());
            }
        }
        view.set("services", wiring.services());
        ObjectNode health = snapHealth.get();
        if (health == null) {
            view.putNull("snap");
        } else {
            ObjectNode snap = view.putObject("snap");
            snap.setAll(wiring.snapChannels());
            snap.set("health", health);
        }
        view.put("time", context.clock().millis());
        return view;
    }

    private ObjectNode channels(Query query) {
        PubSubStats.ChannelPage page = pubsub.stats().top(query.search(), query.limit());
        ObjectNode view = mapper().createObjectNode().put("matched", page.matched()).put("total", page.total());
        ArrayNode rows = view.putArray("channels");
        for (PubSubStats.ChannelView channel : page.channels()) {
            ObjectNode row = rows.addObject();
            row.set("channel", channel.channel());
            row.put("subscribers", channel.subscribers()).put("publications", channel.publications())
                    .put("offset", channel.offset()).put("epoch", channel.epoch());
        }
        return view;
    }

    /** Public connections whose identity (as JSON text) or address contains the search, in connection order. */
    private ObjectNode connections(Query query) {
        String needle = query.search().toLowerCase(Locale.ROOT);
        ObjectNode view = mapper().createObjectNode().put("total", publicRegistry.clientCount());
        ArrayNode rows = view.putArray("connections");
        int matched = 0;
        for (Client client : publicRegistry.clients()) {
            JsonNode identity = client.identity().orElse(null);
            String described = client.describe();
            if (!needle.isEmpty() && !described.toLowerCase(Locale.ROOT).contains(needle) && (identity == null
                    || !JsonKey.of(identity).canonicalText().toLowerCase(Locale.ROOT).contains(needle))) {
                continue;
            }
            matched++;
            if (rows.size() < query.limit()) {
                ObjectNode row = rows.addObject();
                row.set("identity", identity);
                row.put("client", described).put("subscriptions", pubsub.stats().subscriptionsOf(client));
            }
        }
        return view.put("matched", matched);
    }

    private void endLoggedOut() {
        for (Client client : List.copyOf(consoleRegistry.clients())) {
            String handle = client.identity().map(JsonNode::asText).orElse("");
            if (!sessions.isLive(handle)) {
                client.close(CloseCode.DISCONNECTED_BY_BACKEND);
            }
        }
    }

    private com.fasterxml.jackson.databind.ObjectMapper mapper() {
        return context.codec().mapper();
    }

    private static Query bounded(Query query) {
        String search = query.search() == null ? "" : query.search();
        return new Query(search, Math.max(1, Math.min(MAX_ROWS, query.limit())));
    }
}
