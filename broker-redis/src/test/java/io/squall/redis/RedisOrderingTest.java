package io.squall.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.broker.HistoryPolicy;
import io.squall.core.broker.PublishOptions;
import io.squall.api.JsonKey;
import io.squall.redis.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Both nodes publish into one channel at full speed: every node sees the same offsets in the same order. */
class RedisOrderingTest {
    private static final int PER_NODE = 50_000;
    private static final int WINDOW = 512;

    private static RedisServer redis;
    private static Node a;
    private static Node b;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = new Node(RedisConfig.standalone(redis.uri(), "a"));
        b = new Node(RedisConfig.standalone(redis.uri(), "b"));
        a.awaitAvailable();
        b.awaitAvailable();
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        redis.close();
    }

    @Test
    @Timeout(60)
    void publishers_on_two_nodes_produce_one_gapless_order_seen_identically_everywhere() throws Exception {
        JsonKey channel = JsonKey.of("ordered");
        a.subscribe(channel);
        b.subscribe(channel);
        PublishOptions history = PublishOptions.of(new HistoryPolicy(1000, Duration.ofMinutes(1)));

        long started = System.nanoTime();
        CompletableFuture<Long> fromA = Publisher.start(a, channel, history, PER_NODE, WINDOW);
        CompletableFuture<Long> fromB = Publisher.start(b, channel, history, PER_NODE, WINDOW);
        fromA.get();
        fromB.get();
        long published = System.nanoTime() - started;
        int total = 2 * PER_NODE;
        Node.await(() -> a.deliveryCount() >= total && b.deliveryCount() >= total, "all deliveries");
        long delivered = System.nanoTime() - started;

        List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
        assertThat(a.deliveries(channel)).extracting(Node.Delivery::offset).isEqualTo(expected);
        assertThat(b.deliveries(channel)).extracting(Node.Delivery::offset).isEqualTo(expected);
        assertThat(a.meters.get("broker.redis.pubsub.dropped").counter().count()).isZero();
        System.out.printf(Locale.ROOT, "ordering: %d publications with history from 2 nodes in %d ms (%.0f/s), "
                        + "delivered to both in %d ms%n", total, published / 1_000_000, total * 1e9 / published,
                delivered / 1_000_000);
    }

    @Test
    @Timeout(60)
    void measures_one_connection_with_and_without_history() throws Exception {
        JsonKey channel = JsonKey.of("rate");
        int count = 20_000;
        PublishOptions history = PublishOptions.of(new HistoryPolicy(100, Duration.ofMinutes(1)));
        Publisher.start(a, channel, history, 2_000, WINDOW).get(); // warm-up
        long withHistory = Publisher.start(a, channel, history, count, WINDOW).get();
        long liveOnly = Publisher.start(a, channel, PublishOptions.LIVE_ONLY, count, WINDOW).get();
        System.out.printf(Locale.ROOT, "one connection: %.0f publishes/s with history, %.0f/s without%n",
                count * 1e9 / withHistory, count * 1e9 / liveOnly);
        assertThat(a.history(channel, io.squall.core.broker.HistoryQuery.POSITION_ONLY).position().offset())
                .isEqualTo(count + 2_000L);
    }
}
