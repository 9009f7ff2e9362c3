package io.squall.core.broker;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.JsonKey;
import io.squall.core.loop.ManualEventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryBrokerTest {
    private static final JsonKey NEWS = JsonKey.of("news");
    private static final JsonKey SPORT = JsonKey.of("sport");
    private static final HistoryPolicy FIVE_FOR_A_MINUTE = new HistoryPolicy(5, Duration.ofMinutes(1));
    private static final Duration META_TTL = Duration.ofMinutes(10);
    private static final Duration IDEMPOTENCY_TTL = Duration.ofMinutes(2);

    private final ManualEventLoop loop = new ManualEventLoop();
    private final MemoryBroker broker = new MemoryBroker(loop, new HistorySettings(META_TTL, IDEMPOTENCY_TTL, 1000));
    private final List<Delivery> delivered = new ArrayList<>();

    private record Delivery(JsonKey channel, long offset, JsonNode data, String epoch) {}

    @BeforeEach
    void start() {
        broker.start((channel, publication, epoch) ->
                delivered.add(new Delivery(channel, publication.offset(), publication.data(), epoch)));
    }

    @Test
    void offsets_run_from_one_to_n_under_one_epoch() {
        List<StreamPosition> positions = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            positions.add(publish(NEWS, "" + i, FIVE_FOR_A_MINUTE, null).position());
        }

        assertThat(positions).extracting(StreamPosition::offset).containsExactly(1L, 2L, 3L, 4L);
        assertThat(positions).extracting(StreamPosition::epoch).containsOnly(positions.get(0).epoch());
        assertThat(positions.get(0).epoch()).hasSize(8);
        assertThat(history(NEWS, new HistoryQuery(0, 100, false)).position()).isEqualTo(positions.get(3));
    }

    @Test
    void each_channel_has_its_own_offsets_and_epoch() {
        publish(NEWS, "1", FIVE_FOR_A_MINUTE, null);
        publish(NEWS, "2", FIVE_FOR_A_MINUTE, null);

        StreamPosition sport = publish(SPORT, "1", FIVE_FOR_A_MINUTE, null).position();

        assertThat(sport.offset()).isEqualTo(1);
        assertThat(sport.epoch()).isNotEqualTo(history(NEWS, HistoryQuery.POSITION_ONLY).position().epoch());
    }

    @Test
    void the_history_keeps_only_the_latest_size_publications() {
        for (int i = 1; i <= 8; i++) {
            publish(NEWS, "" + i, FIVE_FOR_A_MINUTE, null);
        }

        HistoryResult all = history(NEWS, new HistoryQuery(0, 100, false));

        assertThat(all.position().offset()).isEqualTo(8);
        assertThat(offsets(all)).containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(all.publications()).extracting(Publication::data).containsExactly(
                json("4"), json("5"), json("6"), json("7"), json("8"));
    }

    @Test
    void the_whole_history_is_dropped_ttl_after_the_latest_publish_and_the_offset_continues() {
        publish(NEWS, "1", FIVE_FOR_A_MINUTE, null);
        loop.advance(Duration.ofSeconds(50));
        StreamPosition second = publish(NEWS, "2", FIVE_FOR_A_MINUTE, null).position();

        loop.advance(Duration.ofSeconds(59));
        assertThat(offsets(history(NEWS, new HistoryQuery(0, 100, false))))
                .as("the ttl runs from the latest publish, not the first").containsExactly(1L, 2L);

        loop.advance(Duration.ofSeconds(1));
        HistoryResult expired = history(NEWS, new HistoryQuery(0, 100, false));
        assertThat(expired.publications()).isEmpty();
        assertThat(expired.position()).isEqualTo(second);

        StreamPosition third = publish(NEWS, "3", FIVE_FOR_A_MINUTE, null).position();
        assertThat(third).isEqualTo(new StreamPosition(3, second.epoch()));
        assertThat(offsets(history(NEWS, new HistoryQuery(0, 100, false)))).containsExactly(3L);
    }

    @Test
    void once_the_meta_expires_a_new_epoch_starts_and_offsets_restart_at_one() {
        StreamPosition first = publish(NEWS, "1", FIVE_FOR_A_MINUTE, null).position();
        publish(NEWS, "2", FIVE_FOR_A_MINUTE, null);

        loop.advance(META_TTL);

        StreamPosition after = publish(NEWS, "3", FIVE_FOR_A_MINUTE, null).position();
        assertThat(after.offset()).isEqualTo(1);
        assertThat(after.epoch()).isNotEqualTo(first.epoch());
        assertThat(offsets(history(NEWS, new HistoryQuery(0, 100, false)))).containsExactly(1L);
    }

    @Test
    void the_meta_lives_until_just_before_its_ttl() {
        StreamPosition first = publish(NEWS, "1", FIVE_FOR_A_MINUTE, null).position();

        loop.advance(META_TTL.minusNanos(1));

        assertThat(publish(NEWS, "2", FIVE_FOR_A_MINUTE, null).position())
                .isEqualTo(new StreamPosition(2, first.epoch()));
    }

    @Test
    void a_read_creates_the_meta_of_a_channel_never_published_to_and_the_first_publish_keeps_its_epoch() {
        StreamPosition read = history(NEWS, HistoryQuery.POSITION_ONLY).position();

        assertThat(read.offset()).isZero();
        assertThat(read.epoch()).hasSize(8);
        assertThat(broker.streamCount()).isEqualTo(1);
        assertThat(publish(NEWS, "1", FIVE_FOR_A_MINUTE, null).position())
                .isEqualTo(new StreamPosition(1, read.epoch()));
    }

    @Test
    void reads_keep_the_meta_alive() {
        StreamPosition first = publish(NEWS, "1", FIVE_FOR_A_MINUTE, null).position();

        for (int i = 0; i < 5; i++) {
            loop.advance(META_TTL.dividedBy(2));
            assertThat(history(NEWS, HistoryQuery.POSITION_ONLY).position()).isEqualTo(first);
        }

        assertThat(publish(NEWS, "2", FIVE_FOR_A_MINUTE, null).position())
                .isEqualTo(new StreamPosition(2, first.epoch()));
    }

    @Test
    void a_read_after_the_meta_expired_sees_a_new_empty_epoch() {
        StreamPosition first = publish(NEWS, "1", FIVE_FOR_A_MINUTE, null).position();

        loop.advance(META_TTL);

        StreamPosition read = history(NEWS, new HistoryQuery(0, 100, false)).position();
        assertThat(read.offset()).isZero();
        assertThat(read.epoch()).isNotEqualTo(first.epoch());
    }

    @Test
    void history_reads_since_an_offset_with_a_limit_oldest_first() {
        for (int i = 1; i <= 5; i++) {
            publish(NEWS, "" + i, FIVE_FOR_A_MINUTE, null);
        }

        assertThat(offsets(history(NEWS, new HistoryQuery(2, 100, false)))).containsExactly(3L, 4L, 5L);
        assertThat(offsets(history(NEWS, new HistoryQuery(2, 2, false)))).containsExactly(3L, 4L);
        assertThat(offsets(history(NEWS, new HistoryQuery(0, 2, false)))).containsExactly(1L, 2L);
        assertThat(offsets(history(NEWS, new HistoryQuery(5, 100, false)))).isEmpty();
        assertThat(offsets(history(NEWS, new HistoryQuery(9, 100, false)))).isEmpty();
    }

    @Test
    void history_reads_newest_first_when_reversed() {
        for (int i = 1; i <= 5; i++) {
            publish(NEWS, "" + i, FIVE_FOR_A_MINUTE, null);
        }

        assertThat(offsets(history(NEWS, new HistoryQuery(0, 100, true)))).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(offsets(history(NEWS, new HistoryQuery(0, 2, true)))).containsExactly(5L, 4L);
    }

    @Test
    void a_limit_of_zero_reads_the_position_only() {
        StreamPosition top = null;
        for (int i = 1; i <= 3; i++) {
            top = publish(NEWS, "" + i, FIVE_FOR_A_MINUTE, null).position();
        }

        HistoryResult result = history(NEWS, HistoryQuery.POSITION_ONLY);

        assertThat(result.position()).isEqualTo(top);
        assertThat(result.publications()).isEmpty();
    }

    @Test
    void an_idempotent_retry_within_the_ttl_answers_the_first_result_and_publishes_nothing() {
        broker.subscribe(NEWS, (ignored, failure) -> {});
        PublishResult first = publish(NEWS, "'once'", FIVE_FOR_A_MINUTE, "key-1");
        loop.advance(IDEMPOTENCY_TTL.minusSeconds(1));

        PublishResult retry = publish(NEWS, "'twice'", FIVE_FOR_A_MINUTE, "key-1");

        assertThat(first.duplicate()).isFalse();
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.position()).isEqualTo(first.position());
        assertThat(delivered).extracting(Delivery::data).containsExactly(json("'once'"));
        assertThat(history(NEWS, new HistoryQuery(0, 100, false)).position().offset()).isEqualTo(1);
    }

    @Test
    void the_same_key_on_another_channel_or_another_key_publishes() {
        broker.subscribe(NEWS, (ignored, failure) -> {});
        broker.subscribe(SPORT, (ignored, failure) -> {});
        publish(NEWS, "1", FIVE_FOR_A_MINUTE, "key-1");

        PublishResult otherChannel = publish(SPORT, "2", FIVE_FOR_A_MINUTE, "key-1");
        PublishResult otherKey = publish(NEWS, "3", FIVE_FOR_A_MINUTE, "key-2");

        assertThat(otherChannel.duplicate()).isFalse();
        assertThat(otherKey.duplicate()).isFalse();
        assertThat(otherKey.position().offset()).isEqualTo(2);
        assertThat(delivered).hasSize(3);
    }

    @Test
    void an_idempotent_retry_after_the_ttl_publishes_again() {
        broker.subscribe(NEWS, (ignored, failure) -> {});
        PublishResult first = publish(NEWS, "'once'", FIVE_FOR_A_MINUTE, "key-1");
        loop.advance(IDEMPOTENCY_TTL);

        PublishResult later = publish(NEWS, "'again'", FIVE_FOR_A_MINUTE, "key-1");

        assertThat(later.duplicate()).isFalse();
        assertThat(later.position()).isEqualTo(new StreamPosition(2, first.position().epoch()));
        assertThat(delivered).extracting(Delivery::offset).containsExactly(1L, 2L);
    }

    @Test
    void an_idempotent_retry_on_a_live_only_channel_is_not_delivered_again() {
        broker.subscribe(NEWS, (ignored, failure) -> {});
        PublishResult first = publish(NEWS, "'once'", HistoryPolicy.NONE, "key-1");

        PublishResult retry = publish(NEWS, "'once'", HistoryPolicy.NONE, "key-1");

        assertThat(first).isEqualTo(PublishResult.LIVE);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.position()).isNull();
        assertThat(delivered).hasSize(1);
        assertThat(broker.streamCount()).isZero();
    }

    @Test
    void past_the_cap_the_oldest_idempotency_result_is_forgotten_first() {
        MemoryBroker capped = new MemoryBroker(loop, new HistorySettings(META_TTL, IDEMPOTENCY_TTL, 2));
        List<Long> deliveredOffsets = new ArrayList<>();
        capped.start((channel, publication, epoch) -> deliveredOffsets.add(publication.offset()));
        capped.subscribe(NEWS, (ignored, failure) -> {});
        PublishResult[] results = new PublishResult[5];
        String[] keys = {"k1", "k2", "k3", "k3", "k1"};
        for (int i = 0; i < keys.length; i++) {
            int at = i;
            capped.publish(NEWS, json("" + i), new PublishOptions(FIVE_FOR_A_MINUTE, keys[i]),
                    (result, failure) -> results[at] = result);
        }

        assertThat(results[3].duplicate()).as("k3 is remembered").isTrue();
        assertThat(results[4].duplicate()).as("k1 was pushed out by k3").isFalse();
        assertThat(deliveredOffsets).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void publications_are_delivered_only_for_subscribed_channels_with_offset_and_epoch() {
        broker.subscribe(NEWS, (ignored, failure) -> {});

        PublishResult news = publish(NEWS, "'n'", FIVE_FOR_A_MINUTE, null);
        publish(SPORT, "'s'", FIVE_FOR_A_MINUTE, null);

        assertThat(delivered).containsExactly(new Delivery(NEWS, 1, json("'n'"), news.position().epoch()));
        assertThat(broker.subscribedChannels()).containsExactly(NEWS);
    }

    @Test
    void unsubscribe_stops_delivery() {
        broker.subscribe(NEWS, (ignored, failure) -> {});
        publish(NEWS, "1", HistoryPolicy.NONE, null);

        broker.unsubscribe(NEWS);
        publish(NEWS, "2", HistoryPolicy.NONE, null);

        assertThat(delivered).hasSize(1);
        assertThat(broker.subscribedChannels()).isEmpty();
    }

    @Test
    void subscribe_is_confirmed_before_it_returns() {
        boolean[] confirmed = {false};

        broker.subscribe(NEWS, (ignored, failure) -> confirmed[0] = failure == null);

        assertThat(confirmed[0]).isTrue();
    }

    @Test
    void a_live_only_publication_has_offset_zero_an_empty_epoch_and_keeps_nothing() {
        broker.subscribe(NEWS, (ignored, failure) -> {});

        PublishResult result = publish(NEWS, "'live'", HistoryPolicy.NONE, null);

        assertThat(result).isEqualTo(PublishResult.LIVE);
        assertThat(result.position()).isNull();
        assertThat(delivered).containsExactly(new Delivery(NEWS, 0, json("'live'"), ""));
        assertThat(broker.streamCount()).isZero();
        assertThat(loop.pendingTimers()).as("nothing to sweep").isZero();
    }

    @Test
    void the_sweeper_stops_once_every_meta_and_idempotency_result_expired() {
        assertThat(loop.pendingTimers()).isZero();
        publish(NEWS, "1", FIVE_FOR_A_MINUTE, "key-1");
        history(SPORT, HistoryQuery.POSITION_ONLY);
        assertThat(loop.pendingTimers()).isEqualTo(1);

        loop.advance(META_TTL.minusSeconds(10));
        assertThat(loop.pendingTimers()).as("metas still kept").isEqualTo(1);
        assertThat(broker.streamCount()).isEqualTo(2);

        loop.advance(Duration.ofSeconds(20));
        assertThat(broker.streamCount()).isZero();
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void the_sweeper_starts_again_when_new_work_appears() {
        publish(NEWS, "1", HistoryPolicy.NONE, "key-1");
        loop.advance(IDEMPOTENCY_TTL.plusSeconds(10));
        assertThat(loop.pendingTimers()).isZero();

        publish(NEWS, "1", FIVE_FOR_A_MINUTE, null);

        assertThat(loop.pendingTimers()).isEqualTo(1);
    }

    @Test
    void close_stops_the_sweeper() {
        publish(NEWS, "1", FIVE_FOR_A_MINUTE, null);

        broker.close();

        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void a_long_stream_keeps_numbering_past_many_trims() {
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            offsets.add(publish(NEWS, "" + i, FIVE_FOR_A_MINUTE, null).position().offset());
        }

        assertThat(offsets).isEqualTo(LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(offsets(history(NEWS, new HistoryQuery(0, 100, false)))).containsExactly(96L, 97L, 98L, 99L, 100L);
    }

    // ---- helpers

    private PublishResult publish(JsonKey channel, String data, HistoryPolicy history, String key) {
        Object[] answer = new Object[2];
        broker.publish(channel, json(data), new PublishOptions(history, key), (result, failure) -> {
            answer[0] = result;
            answer[1] = failure;
        });
        assertThat(answer[1]).isNull();
        assertThat(answer[0]).as("answered before publish returned").isNotNull();
        return (PublishResult) answer[0];
    }

    private HistoryResult history(JsonKey channel, HistoryQuery query) {
        Object[] answer = new Object[2];
        broker.history(channel, query, (result, failure) -> {
            answer[0] = result;
            answer[1] = failure;
        });
        assertThat(answer[1]).isNull();
        return (HistoryResult) answer[0];
    }

    private static List<Long> offsets(HistoryResult result) {
        return result.publications().stream().map(Publication::offset).toList();
    }
}
