package io.squall.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.service.cursors.CursorsService;
import io.squall.redis.testing.RedisServer;
import io.squall.server.testing.Await;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * In-JVM Squall nodes on one real Redis for the Cursors suites, started once per class; clients are signed tokens
 * whose subject is their identity, spread over the first {@code n} nodes.
 */
final class CursorsNodes implements AutoCloseable {
    final RedisServer redis;
    final List<TestBroker> nodes = new ArrayList<>();
    private final List<WsTestClient> clients = new ArrayList<>();

    CursorsNodes(int count) {
        redis = RedisServer.start();
        for (int i = 0; i < count; i++) {
            nodes.add(node(redis, "node-" + i));
        }
    }

    static TestBroker node(RedisServer redis, String name) {
        TestBroker node = TestBroker.start("engine=redis", "redis.address=" + redis.uri(), "node.id=" + name,
                "redis.command.timeout=1s", "presence.ttl=6s", "auth.jwt.secret=" + Jwts.SECRET,
                Liveness.flags()[0], Liveness.flags()[1]);
        Await.until("node ready", () -> node.get("/health/ready").statusCode() == 200);
        return node;
    }

    static String token(String identity) {
        return Jwts.hs256(Jwts.SECRET, Jwts.claims(identity, Instant.now(), 600).build());
    }

    /** A client of {@code identity} on node {@code index}. */
    WsTestClient connect(int index, String identity) {
        WsTestClient client = nodes.get(index).connectWithBearer(token(identity));
        clients.add(client);
        return client;
    }

    static JsonNode data(JsonNode reply) {
        if (!reply.at("/message/type").asText().equals("response")) {
            throw new AssertionError("not a response: " + reply);
        }
        return reply.at("/message/data");
    }

    static String error(JsonNode reply) {
        return reply.at("/message/type").asText().equals("error") ? reply.at("/message/message").asText()
                : "no error: " + reply;
    }

    /** The next {@code count} responses (or errors) by call id, in whatever order they come; drops the rest. */
    static Map<Integer, JsonNode> responses(WsTestClient client, int count) {
        Map<Integer, JsonNode> replies = new TreeMap<>();
        while (replies.size() < count) {
            JsonNode frame = client.next();
            String type = frame.at("/message/type").asText();
            if (type.equals("response") || type.equals("error")) {
                replies.put(frame.at("/message/callId").asInt(), frame);
            }
        }
        return replies;
    }

    /** The next Cursors notification's message, skipping nothing. */
    static JsonNode notification(WsTestClient client) {
        return client.next().path("message");
    }

    /** Fails if a frame arrives within {@code wait}. */
    static void assertSilent(WsTestClient client, Duration wait) {
        String frame = client.poll(wait);
        if (frame != null) {
            throw new AssertionError("unexpected frame: " + frame);
        }
    }

    /** Every node's Cursors state sizes, once all their clients are gone: all zero when nothing leaked. */
    Collection<Integer> stateSizes() {
        List<Integer> sizes = new ArrayList<>();
        for (TestBroker node : nodes) {
            node.awaitNoClients();
            Map<String, Integer> each = node.server().callOnLoop(() -> ((CursorsService) node.server()
                    .publicRegistry().service("cursors").orElseThrow()).stateSizes());
            sizes.addAll(each.values());
        }
        return sizes;
    }

    void closeClients() {
        clients.forEach(WsTestClient::close);
        clients.clear();
    }

    @Override
    public void close() {
        closeClients();
        nodes.forEach(TestBroker::close);
        redis.close();
    }
}
