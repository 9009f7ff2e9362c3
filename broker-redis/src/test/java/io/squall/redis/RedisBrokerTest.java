package io.squall.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.squall.core.broker.HistoryPolicy;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.HistoryResult;
import io.squall.core.broker.PublishOptions;
import io.squall.core.broker.PublishResult;
import io.squall.core.broker.StreamPosition;
import io.micrometer.core.instrument.Counter;
import io.squall.api.JsonKey;
import io.squall.core.loop.LoopConfig;
import io.squall.redis.testing.RedisServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two nodes on one real standalone Redis: fan-out, history and idempotency. */
class RedisBrokerTest {
    private static final HistoryPolicy TEN = new HistoryPolicy(10, Duration.ofMinutes(5));
    private static final AtomicInteger CHANNELS = new AtomicInteger();

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

    private static JsonKey channel() {
        return JsonKey.of(JsonNodeFactory.instance.objectNode().put("room", CHANNELS.incrementAndGet()).put("k", "é"));
    }

    @Test
    void a_publication_on_one_node_reaches_the_subscribed_nodes_only() {
        JsonKey both = channel();
        JsonKey onlyA = channel();
        a.subscribe(both);
        b.subscribe(both);
        a.subscribe(onlyA);

        PublishResult first = a.publish(both, IntNode.valueOf(1), PublishOptions.of(TEN));
        b.publish(both, IntNode.valueOf(2), PublishOptions.of(TEN));
        a.publish(onlyA, IntNode.valueOf(3), PublishOptions.LIVE_ONLY);

        Node.await(() -> a.deliveries(both).size() == 2 && b.deliveries(both).size() == 2
                && a.deliveries(onlyA).size() == 1, "deliveries");
        assertThat(b.deliveries(both)).extracting(Node.Delivery::offset).containsExactly(1L, 2L);
        assertThat(b.deliveries(both)).extracting(Node.Delivery::epoch).containsOnly(first.position().epoch());
        assertThat(a.deliveries(onlyA).get(0).offset()).isZero();
        assertThat(a.deliveries(onlyA).get(0).epoch()).isEmpty();
        RedisServer.sleep(100);
        assertThat(b.deliveries(onlyA)).isEmpty();

        b.unsubscribe(both);
        a.publish(both, IntNode.valueOf(4), PublishOptions.of(TEN));
        Node.await(() -> a.deliveries(both).size() == 3, "third delivery on a");
        RedisServer.sleep(100);
        assertThat(b.deliveries(both)).hasSize(2);
    }

    @Test
    void history_returns_offsets_with_the_epoch_and_keeps_only_size_publications() {
        JsonKey channel = channel();
        HistoryPolicy three = new HistoryPolicy(3, Duration.ofMinutes(5));
        PublishResult first = a.publish(channel, IntNode.valueOf(1), PublishOptions.of(three));
        for (int i = 2; i <= 5; i++) {
            b.publish(channel, IntNode.valueOf(i), PublishOptions.of(three));
        }
        assertThat(first.position().offset()).isEqualTo(1);
        assertThat(first.position().epoch()).matches("[a-zA-Z]{8}");

        HistoryResult all = b.history(channel, new HistoryQuery(0, 100, false));
        assertThat(all.position()).isEqualTo(new StreamPosition(5, first.position().epoch()));
        assertThat(all.publications()).extracting(p -> p.offset()).containsExactly(3L, 4L, 5L);
        assertThat(all.publications()).extracting(p -> p.data().asInt()).containsExactly(3, 4, 5);

        assertThat(a.history(channel, new HistoryQuery(3, 100, false)).publications())
                .extracting(p -> p.offset()).containsExactly(4L, 5L);
        assertThat(a.history(channel, new HistoryQuery(0, 2, true)).publications())
                .extracting(p -> p.offset()).containsExactly(5L, 4L);
        HistoryResult position = a.history(channel, HistoryQuery.POSITION_ONLY);
        assertThat(position.publications()).isEmpty();
        assertThat(position.position().offset()).isEqualTo(5);
    }

    @Test
    void history_expires_after_its_ttl_but_the_position_stays() {
        JsonKey channel = channel();
        HistoryPolicy brief = new HistoryPolicy(10, Duration.ofSeconds(1));
        PublishResult published = a.publish(channel, IntNode.valueOf(1), PublishOptions.of(brief));
        assertThat(a.history(channel, new HistoryQuery(0, 10, false)).publications()).hasSize(1);

        Node.await(() -> a.history(channel, new HistoryQuery(0, 10, false)).publications().isEmpty(), "expiry");
        assertThat(a.history(channel, HistoryQuery.POSITION_ONLY).position()).isEqualTo(published.position());
    }

    @Test
    void a_channel_never_published_has_a_stable_epoch_at_offset_zero() {
        JsonKey channel = channel();
        HistoryResult first = a.history(channel, HistoryQuery.POSITION_ONLY);
        assertThat(first.position().offset()).isZero();
        assertThat(b.history(channel, HistoryQuery.POSITION_ONLY).position()).isEqualTo(first.position());
        assertThat(a.publish(channel, IntNode.valueOf(1), PublishOptions.of(TEN)).position())
                .isEqualTo(new StreamPosition(1, first.position().epoch()));
    }

    @Test
    void publications_arriving_while_the_loop_is_full_are_dropped_and_counted() throws Exception {
        try (Node small = new Node(RedisConfig.standalone(redis.uri(), "small"), new LoopConfig(8, 1, 8))) {
            small.awaitAvailable();
            JsonKey channel = channel();
            small.subscribe(channel);
            CountDownLatch release = new CountDownLatch(1);
            small.loop.execute(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            int sent = 200;
            Publisher.start(b, channel, PublishOptions.of(TEN), sent, 64).get(10, TimeUnit.SECONDS);
            Counter dropped = small.meters.get("broker.redis.pubsub.dropped").counter();
            Node.await(() -> dropped.count() >= sent - 8, "drops counted while the loop is blocked");
            release.countDown();
            Node.await(() -> small.deliveryCount() + dropped.count() == sent, "the rest delivered");
            assertThat(small.deliveries(channel)).extracting(Node.Delivery::offset).isSorted();
        }
    }

    @Test
    void an_idempotent_retry_returns_the_first_result_and_publishes_nothing() {
        JsonKey channel = channel();
        a.subscribe(channel);
        PublishOptions once = new PublishOptions(TEN, "request-1");
        PublishResult first = a.publish(channel, IntNode.valueOf(1), once);
        PublishResult retry = b.publish(channel, IntNode.valueOf(1), once);

        assertThat(first.duplicate()).isFalse();
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.position()).isEqualTo(first.position());
        assertThat(a.history(channel, new HistoryQuery(0, 10, false)).publications()).hasSize(1);
        Node.await(() -> a.deliveries(channel).size() == 1, "one delivery");
        RedisServer.sleep(100);
        assertThat(a.deliveries(channel)).hasSize(1);
        assertThat(LongStream.of(first.position().offset())).containsExactly(1L);
    }
}
