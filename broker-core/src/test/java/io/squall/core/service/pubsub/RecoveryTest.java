package io.squall.core.service.pubsub;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.broker.HistoryResult;
import io.squall.core.broker.Publication;
import io.squall.core.broker.StreamPosition;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The all-or-nothing rule, at every edge. */
class RecoveryTest {
    private static final String EPOCH = "aaaaaaaa";
    private static final int MAX = 5;

    @Test
    void the_same_epoch_with_nothing_missed_recovers_an_empty_list() {
        assertThat(Recovery.recover(since(7), history(7), MAX)).isEmpty();
    }

    @Test
    void a_client_at_zero_on_a_stream_never_published_to_recovers_an_empty_list() {
        assertThat(Recovery.recover(since(0), history(0), MAX)).isEmpty();
    }

    @Test
    void contiguous_publications_after_the_offset_up_to_the_top_are_all_recovered() {
        HistoryResult history = history(9, 6, 7, 8, 9);

        assertThat(Recovery.recover(since(5), history, MAX)).extracting(Publication::offset)
                .containsExactly(6L, 7L, 8L, 9L);
    }

    @Test
    void exactly_the_maximum_missed_is_still_recovered() {
        assertThat(Recovery.recover(since(4), history(9, 5, 6, 7, 8, 9), MAX)).hasSize(5);
    }

    @Test
    void another_epoch_is_not_recovered_even_with_matching_offsets() {
        HistoryResult history = new HistoryResult(new StreamPosition(7, "bbbbbbbb"), publications(6, 7));

        assertThat(Recovery.recover(since(5), history, MAX)).isNull();
        assertThat(Recovery.recover(since(7), new HistoryResult(new StreamPosition(7, "bbbbbbbb"), List.of()), MAX))
                .as("nothing missed, but another history").isNull();
    }

    @Test
    void a_history_trimmed_past_the_first_missed_offset_is_not_recovered() {
        assertThat(Recovery.recover(since(5), history(9, 7, 8, 9), MAX)).isNull();
    }

    @Test
    void a_history_that_expired_entirely_is_not_recovered() {
        assertThat(Recovery.recover(since(5), history(9), MAX)).isNull();
    }

    @Test
    void a_read_that_stops_before_the_top_is_not_recovered() {
        assertThat(Recovery.recover(since(5), history(9, 6, 7, 8), MAX)).isNull();
    }

    @Test
    void a_read_with_a_hole_in_the_middle_is_not_recovered() {
        assertThat(Recovery.recover(since(5), history(9, 6, 8, 9, 10), MAX)).as("same count, wrong offsets").isNull();
        assertThat(Recovery.recover(since(5), history(9, 6, 7, 9), MAX)).isNull();
    }

    @Test
    void a_read_that_does_not_start_right_after_the_clients_offset_is_not_recovered() {
        // as many publications as missed and ending at the top, but starting at the client's own offset
        assertThat(Recovery.recover(since(5), history(8, 5, 6, 8), MAX)).isNull();
    }

    @Test
    void more_missed_than_the_maximum_is_not_recovered_even_when_the_history_holds_them() {
        assertThat(Recovery.recover(since(3), history(9, 4, 5, 6, 7, 8, 9), MAX)).isNull();
        assertThat(Recovery.recover(since(3), history(9, 4, 5, 6, 7, 8), MAX)).as("a read cut at the limit").isNull();
    }

    @Test
    void a_client_offset_ahead_of_the_top_is_not_recovered() {
        assertThat(Recovery.recover(since(10), history(9), MAX)).isNull();
        assertThat(Recovery.recover(since(1), history(0), MAX)).isNull();
    }

    // ---- helpers

    private static StreamPosition since(long offset) {
        return new StreamPosition(offset, EPOCH);
    }

    private static HistoryResult history(long top, long... offsets) {
        return new HistoryResult(new StreamPosition(top, EPOCH), publications(offsets));
    }

    private static List<Publication> publications(long... offsets) {
        return LongStream.of(offsets).mapToObj(offset -> new Publication(offset, json("'m" + offset + "'"))).toList();
    }
}
