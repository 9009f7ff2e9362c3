package io.squall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.redis.testing.RedisServer;
import io.squall.server.hooks.WebhookApp;
import io.squall.server.testing.Await;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Occupied and vacated on the Redis engine mean the whole cluster: reported once, by the node whose change made the
 * cluster's answer change, with a seq that orders a channel's changes whichever node reported them; and a node
 * killed with {@code kill -9} has its channels reported vacated by a surviving node once it is found dead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhooksClusterIT {
    private static final String RULES = "webhooks.channels=* occupied,vacated";
    private RedisServer redis;
    private WebhookApp app;
    private final List<TestBroker> nodes = new ArrayList<>();

    @BeforeAll
    void start() {
        redis = RedisServer.start();
        app = WebhookApp.start();
        for (int i = 0; i < 2; i++) {
            TestBroker node = TestBroker.start(flags("engine=redis", "redis.address=" + redis.uri(),
                    "redis.command.timeout=1s", Liveness.flags()[0], Liveness.flags()[1]));
            nodes.add(node);
            Await.until("node ready", () -> node.get("/health/ready").statusCode() == 200);
        }
    }

    private String[] flags(String... more) {
        List<String> flags = new ArrayList<>(List.of("webhooks.url=" + app.url(), "hooks.secret=" + WebhookApp.SECRET,
                "webhooks.retry.min=50ms", "webhooks.retry.max=500ms", RULES, "webhooks.services=pubsub,chat",
                "auth.jwt.secret=" + Jwts.SECRET, "auth.anonymous=true"));
        flags.addAll(List.of(more));
        return flags.toArray(String[]::new);
    }

    @AfterAll
    void stop() {
        nodes.forEach(TestBroker::close);
        app.close();
        redis.close();
    }

    private static String subscribe(String channel) {
        return "{\"channel\":\"" + channel + "\"}";
    }

    private List<JsonNode> on(String channel) {
        return app.events(WebhookApp.onChannel(channel));
    }

    /** Waits for {@code node}'s occupied of a fresh channel: everything that node queued before is delivered. */
    private void drain(TestBroker node, String marker) {
        try (WsTestClient client = node.connect()) {
            client.call("pubsub", "subscribe", subscribe(marker), 1);
            Await.until(marker + " reported", () -> !on(marker).isEmpty());
        }
    }

    @Test
    void occupied_and_vacated_once_for_the_cluster_with_subscribers_on_two_nodes() {
        String channel = "both:" + System.nanoTime();
        try (WsTestClient a = nodes.get(0).connect(); WsTestClient b = nodes.get(1).connect();
                WsTestClient b2 = nodes.get(1).connect()) {
            a.call("pubsub", "subscribe", subscribe(channel), 1);
            Await.until("occupied", () -> on(channel).size() == 1);
            b.call("pubsub", "subscribe", subscribe(channel), 1);
            b2.call("pubsub", "subscribe", subscribe(channel), 1);
            // a's leave must reach Redis after b's node entered: else the channel was empty in between (vacated)
            Await.until("both nodes hold the channel in Redis (" + channel + ")", () -> nodesHolding(channel) == 2);
            a.call("pubsub", "unsubscribe", subscribe(channel), 2);
            b.call("pubsub", "unsubscribe", subscribe(channel), 2);
            drain(nodes.get(0), channel + ":marker-a");
            drain(nodes.get(1), channel + ":marker-b");
            assertThat(on(channel)).as("no vacated while a node still has a subscriber").hasSize(1);
            b2.call("pubsub", "unsubscribe", subscribe(channel), 2);
            Await.until("vacated", () -> on(channel).size() == 2);
            a.call("pubsub", "subscribe", subscribe(channel), 3);
            b.call("pubsub", "subscribe", subscribe(channel), 3);
            Await.until("occupied again", () -> on(channel).size() == 3);
            Await.until("both nodes hold it again", () -> nodesHolding(channel) == 2);
            drain(nodes.get(0), channel + ":marker-a2");
            drain(nodes.get(1), channel + ":marker-b2");
        }
        Await.until("vacated again", () -> on(channel).size() == 4);
        List<JsonNode> events = on(channel);
        assertThat(events.stream().map(event -> event.path("type").asText()))
                .containsExactly("occupied", "vacated", "occupied", "vacated");
        long last = 0;
        for (JsonNode event : events) {
            assertThat(event.path("seq").asLong()).isGreaterThan(last);
            last = event.path("seq").asLong();
        }
        assertThat(events.get(0).path("node").asText()).as("the first subscriber's node reports occupied, the last"
                + " one's vacated").isNotEqualTo(events.get(1).path("node").asText());
        assertThat(app.badSignatures()).isZero();
        Await.until("every partition delivered by one node", () -> held(nodes.get(0)) + held(nodes.get(1)) == 16);
    }

    /** How many nodes hold {@code channel}, as Redis counts them (the occupancy script's count). */
    private int nodesHolding(String channel) {
        return nodesHolding("pubsub", channel);
    }

    private int nodesHolding(String service, String channel) {
        String key = redis.cli("--scan", "--pattern", "squall.svc.occ.*count").strip();
        String count = redis.cli("HGET", key, service + "\n\"" + channel + "\"").strip();
        if (!count.matches("\\d+")) {
            System.out.println("webhooks: occupancy count of " + channel + " in '" + key + "': '" + count + "'");
        }
        return count.matches("\\d+") ? Integer.parseInt(count) : 0;
    }

    private static int held(TestBroker node) {
        java.util.regex.Matcher held = java.util.regex.Pattern.compile("\"partitions\":\\{\"held\":(\\d+)")
                .matcher(node.get("/health").body());
        return held.find() ? Integer.parseInt(held.group(1)) : -100;
    }

    @Test
    void chat_members_on_two_nodes_occupy_their_channel_once() {
        String channel = "room:" + System.nanoTime();
        try (WsTestClient alice = nodes.get(0).connectWithToken(nodes.get(0).mintToken("\"alice\""));
                WsTestClient bob = nodes.get(1).connectWithToken(nodes.get(1).mintToken("\"bob\""))) {
            assertThat(alice.call("chat", "join", subscribe(channel), 1).at("/message/type").asText())
                    .isEqualTo("response");
            Await.until("occupied", () -> on(channel).size() == 1);
            assertThat(bob.call("chat", "join", subscribe(channel), 1).at("/message/type").asText())
                    .isEqualTo("response");
            Await.until("both nodes hold the room in Redis", () -> nodesHolding("chat", channel) == 2);
            alice.call("chat", "leave", subscribe(channel), 2);
            drain(nodes.get(0), channel + ":marker-a");
            drain(nodes.get(1), channel + ":marker-b");
            assertThat(on(channel)).as("no vacated while bob is still a member on the other node").hasSize(1);
        } // bob leaves by closing
        Await.until("vacated", () -> on(channel).size() == 2);
        List<JsonNode> events = on(channel);
        assertThat(events.stream().map(event -> event.path("type").asText())).containsExactly("occupied", "vacated");
        assertThat(events).allSatisfy(event -> assertThat(event.path("service").asText()).isEqualTo("chat"));
        assertThat(events.get(1).path("seq").asLong()).isGreaterThan(events.get(0).path("seq").asLong());
    }

    /**
     * The changes of one channel made on two nodes in turn reach the application in the cluster's order. Not every
     * turn is a change: a node's leave may reach Redis after the other node's enter (then the channel never emptied).
     */
    @Test
    void a_channels_changes_made_on_two_nodes_arrive_in_their_order() {
        String channel = "turns:" + System.nanoTime();
        int rounds = 30;
        try (WsTestClient a = nodes.get(0).connect(); WsTestClient b = nodes.get(1).connect()) {
            for (int i = 0; i < rounds; i++) {
                for (WsTestClient client : i % 2 == 0 ? List.of(a, b) : List.of(b, a)) {
                    client.call("pubsub", "subscribe", subscribe(channel), 1);
                    client.call("pubsub", "unsubscribe", subscribe(channel), 2);
                }
            }
        }
        long[] settled = {0, -1};
        Await.until("the channel vacated, and nothing more for a second", () -> {
            List<JsonNode> now = on(channel);
            if (now.isEmpty() || !now.get(now.size() - 1).path("type").asText().equals("vacated")) {
                return false;
            }
            if (now.size() != settled[1]) {
                settled[0] = System.nanoTime();
                settled[1] = now.size();
            }
            return System.nanoTime() - settled[0] > 1_000_000_000L;
        });
        List<JsonNode> events = on(channel);
        assertThat(events.size()).isGreaterThanOrEqualTo(rounds);
        long last = 0;
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            assertThat(event.path("type").asText()).as("arrival " + i).isEqualTo(i % 2 == 0 ? "occupied" : "vacated");
            assertThat(event.path("seq").asLong()).as("arrival " + i).isGreaterThan(last);
            last = event.path("seq").asLong();
        }
        assertThat(events.stream().map(event -> event.path("node").asText()).distinct()).hasSize(2);
    }

    @Test
    void a_killed_nodes_channels_are_reported_vacated_once_it_is_found_dead() {
        String alone = "dead:" + System.nanoTime();
        String shared = "shared:" + System.nanoTime();
        try (NodeProcess victim = NodeProcess.start("webhook-victim", redis.uri(), flags())) {
            victim.awaitReady();
            try (WsTestClient there = WsTestClient.connect(victim.wsUri(), Map.of());
                    WsTestClient here = nodes.get(0).connect()) {
                there.call("pubsub", "subscribe", subscribe(alone), 1);
                there.call("pubsub", "subscribe", subscribe(shared), 2);
                here.call("pubsub", "subscribe", subscribe(shared), 1);
                Await.until("both occupied", () -> on(alone).size() == 1 && on(shared).size() == 1);
                long killed = System.nanoTime();
                victim.kill();
                Await.until("the dead node's channel vacated", () -> on(alone).size() == 2);
                System.out.printf(Locale.ROOT, "webhooks: a killed node's channel reported vacated %d ms after"
                        + " kill -9 (%s)%n", (System.nanoTime() - killed) / 1_000_000, Liveness.describe());
                JsonNode vacated = on(alone).get(1);
                assertThat(vacated.path("type").asText()).isEqualTo("vacated");
                assertThat(vacated.path("node").asText()).as("reported by a survivor").isNotEqualTo("webhook-victim");
                assertThat(vacated.path("seq").asLong()).isGreaterThan(on(alone).get(0).path("seq").asLong());
                drain(nodes.get(0), shared + ":marker-0");
                drain(nodes.get(1), shared + ":marker-1");
                assertThat(on(alone)).as("vacated once, though every survivor heard of the death").hasSize(2);
                assertThat(on(shared)).as("still held by a live node").hasSize(1);
                here.call("pubsub", "unsubscribe", subscribe(shared), 2);
                Await.until("the shared channel vacated by its last live holder", () -> on(shared).size() == 2);
                assertThat(on(shared).get(1).path("type").asText()).isEqualTo("vacated");
            }
        }
        assertThat(app.badSignatures()).isZero();
    }
}
