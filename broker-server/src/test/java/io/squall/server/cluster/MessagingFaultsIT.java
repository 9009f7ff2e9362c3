package io.squall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.redis.testing.RedisServer;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Messaging when things fail, on real Redis: a node holding names SIGKILLed (its names freed, a send to them
 * answered), Redis restarted empty (every node claims its names again), and a name two connections registered
 * while Redis had lost it (the earlier registration keeps it, the other is told).
 */
class MessagingFaultsIT {
    private RedisServer redis;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        redis.close();
    }

    private TestBroker node(String id, String... extra) {
        List<String> flags = new ArrayList<>(List.of("engine=redis", "redis.address=" + redis.uri(), "node.id=" + id,
                "redis.command.timeout=1s"));
        flags.addAll(List.of(Liveness.flags()));
        flags.addAll(List.of(extra));
        TestBroker node = TestBroker.start(flags.toArray(String[]::new));
        closing.add(node);
        Await.until("node ready", () -> node.get("/health/ready").statusCode() == 200);
        return node;
    }

    private <T extends AutoCloseable> T closed(T resource) {
        closing.add(resource);
        return resource;
    }

    private static JsonNode call(WsTestClient client, String command, String params) {
        return client.call("messaging", command, params, 1).path("message");
    }

    private static String answer(WsTestClient client, String command, String params) {
        JsonNode reply = call(client, command, params);
        return reply.path("type").asText().equals("error") ? reply.path("message").asText() : reply.path("data").toString();
    }

    private static List<String> listed(WsTestClient client) {
        List<String> names = new ArrayList<>();
        call(client, "listParticipants", "{}").path("data").forEach(name -> names.add(name.asText()));
        return names;
    }

    @Test
    void a_killed_nodes_names_are_freed_and_a_send_to_them_is_answered_unknown_destination() {
        TestBroker survivor = node("s1");
        NodeProcess doomed = closed(NodeProcess.start("d1", redis.uri()));
        doomed.awaitReady();
        WsTestClient alice = closed(survivor.connect());
        WsTestClient victim = closed(WsTestClient.connect(doomed.wsUri(), Map.of()));
        assertThat(answer(alice, "registerParticipant", "{\"name\":\"alice\"}")).isEqualTo("null");
        assertThat(answer(victim, "registerParticipant", "{\"name\":\"victim\"}")).isEqualTo("null");
        assertThat(answer(victim, "registerParticipant", "{\"name\":\"victim-2\"}")).isEqualTo("null");
        assertThat(answer(alice, "send", "{\"sender\":\"alice\",\"dest\":\"victim\",\"body\":1}")).isEqualTo("null");
        assertThat(victim.next().at("/message/body").asInt()).isEqualTo(1);
        assertThat(listed(alice)).containsExactly("alice", "victim", "victim-2");

        long killed = System.nanoTime();
        doomed.kill();
        // sent before the survivor knows: it waits for the dead node's answer until the node is found down
        assertThat(answer(alice, "send", "{\"sender\":\"alice\",\"dest\":\"victim\",\"body\":2}"))
                .isEqualTo("Unknown destination");
        Await.until("the dead node's names are freed", Duration.ofSeconds(30),
                () -> listed(alice).equals(List.of("alice")));
        double seconds = (System.nanoTime() - killed) / 1e9;
        System.out.printf(Locale.ROOT, "messaging: a killed node's names freed %.1f s after SIGKILL (%s)%n", seconds,
                Liveness.describe());

        assertThat(answer(alice, "registerParticipant", "{\"name\":\"victim\"}")).isEqualTo("null");
        assertThat(seconds).as("about the node timeout, far below the 60 s claim TTL").isLessThan(25);
    }

    @Test
    void while_redis_is_down_calls_answer_unavailable_and_once_it_restarts_empty_every_node_claims_its_names_again() {
        TestBroker a = node("a1", "presence.ttl=3s");
        TestBroker b = node("b1", "presence.ttl=3s");
        WsTestClient alice = closed(a.connect());
        WsTestClient bob = closed(b.connect());
        assertThat(answer(alice, "registerParticipant", "{\"name\":\"alice\"}")).isEqualTo("null");
        assertThat(answer(bob, "registerParticipant", "{\"name\":\"bob\"}")).isEqualTo("null");

        redis.stop();
        // while Redis is down: refused with Unavailable, never a silent drop; a name of this node still answers
        assertThat(answer(alice, "registerParticipant", "{\"name\":\"carol\"}")).isEqualTo("Unavailable");
        assertThat(answer(alice, "listParticipants", "{}")).isEqualTo("Unavailable");
        assertThat(answer(alice, "send", "{\"sender\":\"alice\",\"dest\":\"bob\",\"body\":0}"))
                .isEqualTo("Unavailable");
        assertThat(answer(alice, "send", "{\"sender\":\"alice\",\"dest\":\"alice\",\"body\":\"self\"}"))
                .isEqualTo("null");
        assertThat(alice.next().at("/message/body").asText()).isEqualTo("self");
        assertThat(a.backend("{\"service\":\"auth_backend\",\"message\":{\"command\":\"disconnect\","
                + "\"params\":{\"identity\":\"u\"}}}").body()).contains("Unavailable");
        redis.restart();

        Await.until("both names claimed again", Duration.ofSeconds(20), () -> ready(a) && ready(b)
                && listed(alice).equals(List.of("alice", "bob")));
        assertThat(answer(bob, "send", "{\"sender\":\"bob\",\"dest\":\"alice\",\"body\":\"back\"}")).isEqualTo("null");
        assertThat(alice.next().at("/message/body").asText()).isEqualTo("back");
        assertThat(answer(alice, "registerParticipant", "{\"name\":\"bob\"}")).isEqualTo("Name already registered");
    }

    @Test
    void a_name_registered_twice_while_redis_had_lost_it_stays_with_the_earlier_registration() {
        TestBroker a = node("a1", "presence.ttl=3s");
        TestBroker b = node("b1", "presence.ttl=3s");
        WsTestClient alice = closed(a.connect());
        WsTestClient bob = closed(b.connect());
        WsTestClient dave = closed(b.connect());
        assertThat(answer(alice, "registerParticipant", "{\"name\":\"alice\"}")).isEqualTo("null");
        assertThat(answer(bob, "registerParticipant", "{\"name\":\"bob\"}")).isEqualTo("null");
        // Redis loses alice's claim (as a restart before node a re-claims it would), and dave takes the name on b
        String owners = redis.cli("--scan", "--pattern", "*claims.owner*");
        String expiry = redis.cli("--scan", "--pattern", "*claims.expire*");
        redis.cli("HDEL", owners, "alice");
        redis.cli("ZREM", expiry, "alice");
        assertThat(answer(dave, "registerParticipant", "{\"name\":\"alice\"}")).isEqualTo("null");

        // node a's next refresh (every second with a 3 s TTL) finds the conflict: alice registered first
        assertThat(dave.next().toString()).isEqualTo(
                "{\"service\":\"messaging\",\"message\":{\"type\":\"participantLost\",\"name\":\"alice\"}}");
        assertThat(answer(dave, "send", "{\"sender\":\"alice\",\"dest\":\"bob\",\"body\":0}")).isEqualTo("Invalid sender");
        assertThat(answer(bob, "send", "{\"sender\":\"bob\",\"dest\":\"alice\",\"body\":1}")).isEqualTo("null");
        assertThat(alice.next().at("/message/body").asInt()).isEqualTo(1);
        assertThat(dave.poll(Duration.ofMillis(300))).isNull();
        assertThat(listed(dave)).containsExactly("alice", "bob");
    }

    private static boolean ready(TestBroker node) {
        return node.get("/health/ready").statusCode() == 200;
    }
}
