package io.squall.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import io.squall.core.broker.BrokerUnavailableException;
import io.squall.core.broker.HistoryPolicy;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.PublishOptions;
import io.squall.core.broker.PublishResult;
import io.squall.api.JsonKey;
import io.squall.redis.testing.RedisServer;
import io.squall.redis.testing.WedgingProxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Redis lost, paused, late or deaf under two running nodes: they fail fast, then recover by themselves. */
@Timeout(60)
class RedisFailureTest {
    private static final PublishOptions HISTORY = PublishOptions.of(new HistoryPolicy(100, Duration.ofMinutes(5)));
    private static final JsonKey CHANNEL = JsonKey.of("news");

    private RedisServer redis;
    private Node a;
    private Node b;

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private void startNodes(RedisConfig configA, RedisConfig configB) {
        a = new Node(configA);
        b = new Node(configB);
        a.awaitAvailable();
        b.awaitAvailable();
        a.subscribe(CHANNEL);
        b.subscribe(CHANNEL);
    }

    @Test
    void redis_restarted_empty_mid_stream_fails_publishes_fast_then_flows_again_in_a_new_epoch() throws Exception {
        redis = RedisServer.start();
        startNodes(RedisConfig.standalone(redis.uri(), "a"), RedisConfig.standalone(redis.uri(), "b"));
        String firstEpoch = a.publish(CHANNEL, IntNode.valueOf(0), HISTORY).position().epoch();

        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        Thread publisher = new Thread(() -> {
            for (int i = 1; publishing.get(); i++) {
                try {
                    a.publish(CHANNEL, IntNode.valueOf(i), HISTORY);
                } catch (BrokerUnavailableException e) {
                    refused.incrementAndGet();
                } catch (Throwable e) {
                    unexpected.set(e);
                }
                RedisServer.sleep(2);
            }
        });
        publisher.start();
        RedisServer.sleep(200);
        redis.stop();
        Node.await(() -> !a.broker.available(), "a sees Redis gone");
        assertThatThrownBy(() -> b.history(CHANNEL, HistoryQuery.POSITION_ONLY))
                .isInstanceOf(BrokerUnavailableException.class);
        assertThatThrownBy(() -> b.subscribe(JsonKey.of("other")))
                .isInstanceOf(BrokerUnavailableException.class);
        RedisServer.sleep(300);
        redis.restart();
        a.awaitAvailable();
        b.awaitAvailable();
        Node.await(() -> a.interruptions.get() > 0 && b.interruptions.get() > 0, "interruptions reported");
        publishing.set(false);
        publisher.join(Node.WAIT_MILLIS);

        assertThat(unexpected.get()).isNull();
        assertThat(refused.get()).isPositive();
        int seenByB = b.deliveries(CHANNEL).size();
        PublishResult after = b.publish(CHANNEL, IntNode.valueOf(-1), HISTORY);
        assertThat(after.position().epoch()).isNotEqualTo(firstEpoch);
        Node.await(() -> a.deliveries(CHANNEL).stream().anyMatch(d -> d.data().asInt() == -1)
                && b.deliveries(CHANNEL).size() > seenByB, "deliveries after the restart");
        assertThat(a.deliveries(CHANNEL).getLast().epoch()).isEqualTo(after.position().epoch());
    }

    @Test
    void redis_paused_then_resumed_keeps_history_and_epoch() {
        redis = RedisServer.start();
        RedisConfig config = RedisConfig.standalone(redis.uri(), "a").withProbeInterval(Duration.ofMillis(500));
        startNodes(config, RedisConfig.standalone(redis.uri(), "b"));
        PublishResult first = a.publish(CHANNEL, IntNode.valueOf(1), HISTORY);
        a.publish(CHANNEL, IntNode.valueOf(2), HISTORY);

        redis.pause();
        assertThatThrownBy(() -> b.publish(CHANNEL, IntNode.valueOf(99), PublishOptions.LIVE_ONLY))
                .isInstanceOf(BrokerUnavailableException.class);
        Node.await(() -> !b.broker.available(), "a stalled Redis is not available (its PING timed out)");
        redis.resume();
        b.awaitAvailable();

        // a may have rebuilt its connection (its probe fired during the pause): publications racing its
        // resubscription are missed (and reported as an interruption), so publish until both nodes see one
        Node.await(() -> {
            try {
                b.publish(CHANNEL, IntNode.valueOf(3), HISTORY);
            } catch (BrokerUnavailableException e) {
                return false;
            }
            RedisServer.sleep(50);
            return a.deliveries(CHANNEL).stream().anyMatch(d -> d.data().asInt() == 3)
                    && b.deliveries(CHANNEL).stream().anyMatch(d -> d.data().asInt() == 3);
        }, "delivery resumed");
        var history = a.history(CHANNEL, new HistoryQuery(0, 100, false));
        assertThat(history.position().epoch()).isEqualTo(first.position().epoch());
        assertThat(history.publications()).extracting(p -> p.data().asInt()).startsWith(1, 2).contains(3);
    }

    @Test
    void once_a_stalled_redis_missed_its_pings_publishes_are_refused_unsent_and_never_run_when_it_wakes() {
        redis = RedisServer.start();
        startNodes(RedisConfig.standalone(redis.uri(), "a"), RedisConfig.standalone(redis.uri(), "b"));
        a.publish(CHANNEL, IntNode.valueOf(1), HISTORY);

        redis.pause();
        Node.await(() -> a.broker.stalled(), "a stalled Redis is found (two PINGs timed out)");
        assertThatThrownBy(() -> a.publish(CHANNEL, IntNode.valueOf(2), HISTORY))
                .isInstanceOf(BrokerUnavailableException.class);
        redis.resume();
        a.awaitAvailable();
        a.publish(CHANNEL, IntNode.valueOf(3), HISTORY);

        // refused means not published: a command sent into the stalled socket would have run on SIGCONT
        assertThat(a.history(CHANNEL, new HistoryQuery(0, 100, false)).publications())
                .extracting(p -> p.data().asInt()).containsExactly(1, 3);
    }

    @Test
    void a_node_started_while_redis_is_down_becomes_available_when_redis_comes() {
        redis = RedisServer.start();
        redis.stop();
        a = new Node(RedisConfig.standalone(redis.uri(), "a"));
        RedisServer.sleep(300);
        assertThat(a.broker.available()).isFalse();
        assertThatThrownBy(() -> a.publish(CHANNEL, IntNode.valueOf(1), HISTORY))
                .isInstanceOf(BrokerUnavailableException.class);
        assertThatThrownBy(() -> a.subscribe(CHANNEL)).isInstanceOf(BrokerUnavailableException.class);

        redis.restart();
        a.awaitAvailable();
        Node.await(() -> {
            try {
                a.subscribe(CHANNEL);
                return true;
            } catch (BrokerUnavailableException e) {
                return false;
            }
        }, "subscribed");
        a.publish(CHANNEL, IntNode.valueOf(7), HISTORY);
        Node.await(() -> a.deliveries(CHANNEL).size() == 1, "delivery");
    }

    @Test
    void a_deaf_pub_sub_connection_is_found_by_its_probe_and_rebuilt() {
        redis = RedisServer.start();
        try (WedgingProxy proxy = new WedgingProxy(redis.port())) {
            startNodes(RedisConfig.standalone(proxy.uri(), "a").withProbeInterval(Duration.ofMillis(300)),
                    RedisConfig.standalone(redis.uri(), "b"));
            b.publish(CHANNEL, IntNode.valueOf(1), HISTORY);
            Node.await(() -> a.deliveries(CHANNEL).size() == 1, "first delivery");

            proxy.wedge();
            b.publish(CHANNEL, IntNode.valueOf(2), HISTORY);
            Node.await(() -> a.interruptions.get() == 1, "a rebuilt its pub/sub connection");
            assertThat(a.meters.get("broker.redis.pubsub.stale.rebuilds").counter().count()).isPositive();
            b.publish(CHANNEL, IntNode.valueOf(3), HISTORY);
            Node.await(() -> a.deliveries(CHANNEL).stream().anyMatch(d -> d.data().asInt() == 3), "delivery again");
            assertThat(a.deliveries(CHANNEL)).extracting(d -> d.data().asInt()).doesNotContain(2);
        }
    }
}
