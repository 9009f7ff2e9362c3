package io.squall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults injected while the cluster carries load: Redis SIGKILLed and restarted empty, Redis SIGSTOPped, a Squall
 * node SIGKILLed, a Squall node SIGSTOPped past its heartbeats. Real {@code redis-server} and real node processes
 * ({@link UnderLoad}); subscribers on every node keep books and recover as a careful client does. Each run asserts
 * that no acknowledged publication is lost (a subscriber either received it or was told it has a hole there), that
 * publishes are answered (never silently dropped), that health answers throughout, and a generous latency bound for
 * the clients the fault did not touch; it prints its figures (docs/cluster.md, "Faults under load").
 */
@Timeout(150) // about 20 s each on an idle 2-core machine; several times that when it is shared
class FaultsUnderLoadIT {
    private static final int PUBLISHES_PER_NODE = 40;
    /** Generous: a shared 2-core machine runs the nodes, Redis and the load generator at once. */
    private static final long UNAFFECTED_P99_BOUND_MILLIS = 2_000;

    @Test
    void redis_killed_and_restarted_empty_under_load_refuses_meanwhile_and_loses_nothing_acknowledged() {
        try (UnderLoad load = new UnderLoad(2, 100)) {
            load.publish(PUBLISHES_PER_NODE);
            NodeProcess.sleep(2_000);
            long[] fds = load.nodes.stream().mapToLong(NodeProcess::fds).toArray();
            long[] threads = load.nodes.stream().mapToLong(NodeProcess::threads).toArray();

            long faultAt = System.currentTimeMillis();
            load.redis.kill();
            UnderLoad.await("not ready without Redis", Duration.ofSeconds(10), () -> load.nodes.stream()
                    .allMatch(node -> node.health("/health/ready") == 503));
            NodeProcess.sleep(Math.max(0, faultAt + 4_000 - System.currentTimeMillis()));
            load.redis.restart();
            long backAt = System.currentTimeMillis();
            UnderLoad.await("ready again", Duration.ofSeconds(20), () -> load.nodes.stream()
                    .allMatch(node -> node.health("/health/ready") == 200));
            long readyAt = System.currentTimeMillis();
            long recoveredAt = load.awaitAllDelivering(backAt, Duration.ofSeconds(30));
            awaitPresenceComplete(load, Duration.ofSeconds(10)); // refreshed into the empty Redis
            UnderLoad.Report report = load.finish();

            print("redis SIGKILL + empty restart", report, backAt - faultAt, recoveredAt - backAt,
                    report.latency(99, s -> true, p -> true, backAt, recoveredAt + 5_000),
                    "ready again after " + (readyAt - backAt) + " ms");
            assertNothingLost(report);
            assertThat(report.unavailable).as("publishes refused during the outage").isPositive();
            assertThat(report.recoveredFalse).as("new epoch: every positioned client is told")
                    .isGreaterThanOrEqualTo(load.subscribers.size());
            assertThat(load.probes).as("readiness down during the outage")
                    .anyMatch(probe -> probe.atMillis() > faultAt && probe.atMillis() < backAt && probe.ready() == 503);
            NodeProcess.sleep(1_000);
            for (int n = 0; n < load.nodes.size(); n++) {
                NodeProcess node = load.nodes.get(n);
                // the same clients and publishers as before the fault: no more descriptors or threads than then
                assertThat(node.fds()).as(node.name + " descriptors").isLessThanOrEqualTo(fds[n] + 8);
                assertThat(node.threads()).as(node.name + " threads").isLessThanOrEqualTo(threads[n] + 4);
            }
        }
    }

    @Test
    void redis_stalled_by_sigstop_under_load_then_every_positioned_client_recovers_everything() {
        try (UnderLoad load = new UnderLoad(2, 100)) {
            load.publish(PUBLISHES_PER_NODE);
            NodeProcess.sleep(2_000);
            List<LoadSubscriber> away = load.subscribers.stream().filter(s -> s.id % 10 == 0).toList();

            long faultAt = System.currentTimeMillis();
            load.redis.pause();
            NodeProcess.sleep(500);
            away.forEach(LoadSubscriber::drop); // these come back with since once Redis answers again
            NodeProcess.sleep(Math.max(0, faultAt + 5_000 - System.currentTimeMillis()));
            load.redis.resume();
            long backAt = System.currentTimeMillis();
            away.forEach(s -> s.comeBack((s.node() + 1) % load.nodes.size()));
            long recoveredAt = load.awaitAllDelivering(backAt, Duration.ofSeconds(30));
            UnderLoad.Report report = load.finishRetrying();

            print("redis SIGSTOP 5 s", report, backAt - faultAt, recoveredAt - backAt,
                    report.latency(99, s -> !away.contains(s), p -> true, backAt, recoveredAt + 5_000), "");
            assertNothingLost(report);
            assertThat(report.unavailable).as("publishes refused during the stall").isPositive();
            assertThat(report.recoveredFalse).as("the history is intact: nobody is told of a hole").isZero();
            assertThat(away).as("every client that was away recovered").allMatch(s -> s.recoveredTrue() >= 1);
            assertThat(report.stillRefused).as("retried with their idempotency keys once Redis is back").isZero();
            assertThat(report.acked).as("every publication acknowledged once, after the retries").isEqualTo(
                    report.sent);
        }
    }

    @Test
    void a_node_killed_under_load_its_clients_recover_on_the_others_which_keep_delivering() {
        try (UnderLoad load = new UnderLoad(3, 60)) {
            load.publish(PUBLISHES_PER_NODE);
            NodeProcess.sleep(2_000);
            List<LoadSubscriber> moved = load.subscribers.stream().filter(s -> s.node() == 2).toList();
            List<LoadSubscriber> stayed = load.subscribers.stream().filter(s -> s.node() != 2).toList();

            long faultAt = System.currentTimeMillis();
            load.nodes.get(2).kill();
            UnderLoad.await("the killed node's clients recovered elsewhere", Duration.ofSeconds(20),
                    () -> moved.stream().allMatch(s -> s.recoveredTrue() >= 1));
            long movedAt = System.currentTimeMillis();
            awaitPresenceComplete(load, Duration.ofSeconds(15));
            long presenceAt = System.currentTimeMillis();
            long recoveredAt = load.awaitAllDelivering(faultAt, Duration.ofSeconds(30));
            UnderLoad.Report report = load.finish();

            long p99 = report.latency(99, stayed::contains, p -> p != 2, faultAt, faultAt + 10_000);
            print("node SIGKILL", report, 0, movedAt - faultAt, p99,
                    "dead node's presence gone after " + (presenceAt - faultAt) + " ms (presence.ttl "
                            + UnderLoad.PRESENCE_TTL.toMillis() + " ms)");
            assertNothingLost(report);
            assertThat(report.recoveredFalse).as("the history holds all they missed").isZero();
            assertThat(stayed).as("clients of the other nodes never moved").allMatch(s -> s.reconnects() == 0);
            assertThat(p99).as("p99 latency of the other nodes' clients").isBetween(0L, UNAFFECTED_P99_BOUND_MILLIS);
            assertThat(presenceAt - faultAt).as("presence of the dead node expired within presence.ttl")
                    .isLessThanOrEqualTo(UnderLoad.PRESENCE_TTL.toMillis() + 4_000);
        }
    }

    @Test
    void a_node_paused_past_its_heartbeats_comes_back_consistent_and_the_others_are_unaffected() {
        try (UnderLoad load = new UnderLoad(3, 60)) {
            load.publish(PUBLISHES_PER_NODE);
            NodeProcess.sleep(2_000);
            List<LoadSubscriber> stayed = load.subscribers.stream().filter(s -> s.node() != 2).toList();

            long faultAt = System.currentTimeMillis();
            // past the node timeout (the others take it for dead) and past presence.ttl (its entries expire)
            long pause = Math.max(Liveness.NODE_TIMEOUT.toMillis(), UnderLoad.PRESENCE_TTL.toMillis()) + 1_500;
            load.nodes.get(2).pause();
            NodeProcess.sleep(pause);
            load.nodes.get(2).resume();
            long backAt = System.currentTimeMillis();
            UnderLoad.await("the paused node ready", Duration.ofSeconds(20),
                    () -> load.nodes.get(2).health("/health/ready") == 200);
            long recoveredAt = load.awaitAllDelivering(backAt, Duration.ofSeconds(30));
            awaitPresenceComplete(load, Duration.ofSeconds(10)); // its entries expired meanwhile: refreshed back
            UnderLoad.Report report = load.finishRetrying();

            long p99 = report.latency(99, stayed::contains, p -> p != 2, faultAt, backAt);
            print("node SIGSTOP " + pause + " ms", report, backAt - faultAt, recoveredAt - backAt, p99, "");
            assertNothingLost(report);
            assertThat(stayed).as("clients of the other nodes never moved").allMatch(s -> s.reconnects() == 0);
            assertThat(p99).as("p99 latency of the other nodes' clients").isBetween(0L, UNAFFECTED_P99_BOUND_MILLIS);
            assertThat(report.stillRefused).isZero();
            assertThat(report.acked).as("every publication acknowledged once, after any retry").isEqualTo(report.sent);
        }
    }

    /** Every channel's presence counts exactly its subscribers: none missing, no dead node's entry left. */
    private static void awaitPresenceComplete(UnderLoad load, Duration timeout) {
        UnderLoad.await("presence complete", timeout, () -> {
            for (int c = 0; c < UnderLoad.CHANNELS; c++) {
                String channel = LoadPublisher.channel(c);
                if (load.presentClients(0, channel) != load.subscribersOn(channel)) {
                    return false;
                }
            }
            return true;
        });
    }

    private static void assertNothingLost(UnderLoad.Report report) {
        assertThat(report.lost).as("acknowledged publications lost").isEmpty();
        assertThat(report.unanswered).as("publishes never answered by a live node").isZero();
        assertThat(report.otherErrors).as("publishes refused other than Unavailable").isZero();
        assertThat(report.duplicates).as("publications delivered twice").isZero();
        assertThat(report.jumps).as("offsets skipped without telling the client").isZero();
        assertThat(report.liveFailures()).as("/health/live of nodes that were up").isEmpty();
        assertThat(report.acked).as("load ran").isGreaterThan(200);
    }

    private static void print(String fault, UnderLoad.Report report, long outageMillis, long recoveryMillis,
            long p99Millis, String extra) {
        System.out.println(String.format(Locale.ROOT, "FaultsUnderLoadIT [%s]: outage %d ms, %d publishes answered"
                + " Unavailable (over %d ms), acked lost %d, recovery %d ms, p99 latency of unaffected clients %d ms;"
                + " %s; %s", fault, outageMillis, report.unavailable, report.refusedSpanMillis(), report.lost.size(),
                recoveryMillis, p99Millis, extra, report));
    }
}
