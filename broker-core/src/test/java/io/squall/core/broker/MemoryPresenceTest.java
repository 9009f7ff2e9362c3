package io.squall.core.broker;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.JsonKey;
import io.squall.core.loop.ManualEventLoop;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryPresenceTest {
    private static final JsonKey ROOM = JsonKey.of("room:1");
    private static final JsonKey OTHER = JsonKey.of(json("{'room':2}"));
    private static final Duration TTL = Duration.ofSeconds(60);

    private final ManualEventLoop loop = new ManualEventLoop();
    private final MemoryPresence presence = new MemoryPresence(loop, TTL);

    @Test
    void added_connections_are_listed_by_client_id_with_their_identity() {
        add(ROOM, "c1", "'alice'");
        add(ROOM, "c2", null);
        add(OTHER, "c3", "'bob'");

        Map<String, PresenceInfo> present = list(ROOM);

        assertThat(present).containsOnlyKeys("c1", "c2");
        assertThat(present.get("c1")).isEqualTo(new PresenceInfo("c1", json("'alice'")));
        assertThat(present.get("c2").identity()).isNull();
        assertThat(list(OTHER)).containsOnlyKeys("c3");
        assertThat(list(JsonKey.of("empty"))).isEmpty();
    }

    @Test
    void adding_again_replaces_the_entry_instead_of_duplicating_it() {
        add(ROOM, "c1", "'alice'");

        add(ROOM, "c1", "'alice2'");

        assertThat(list(ROOM)).containsOnlyKeys("c1");
        assertThat(list(ROOM).get("c1").identity()).isEqualTo(json("'alice2'"));
        assertThat(stats(ROOM)).isEqualTo(new PresenceStats(1, 1));
    }

    @Test
    void remove_takes_out_one_connection_and_the_channel_with_the_last() {
        add(ROOM, "c1", "'alice'");
        add(ROOM, "c2", "'bob'");

        remove(ROOM, "c1");
        assertThat(list(ROOM)).containsOnlyKeys("c2");
        assertThat(presence.channelCount()).isEqualTo(1);

        remove(ROOM, "c2");
        assertThat(list(ROOM)).isEmpty();
        assertThat(presence.channelCount()).isZero();
    }

    @Test
    void removing_a_connection_that_is_not_present_changes_nothing_and_still_answers() {
        add(ROOM, "c1", "'alice'");

        remove(ROOM, "nobody");
        remove(OTHER, "c1");

        assertThat(list(ROOM)).containsOnlyKeys("c1");
    }

    @Test
    void stats_count_connections_and_distinct_identities_anonymous_ones_as_connections_only() {
        add(ROOM, "c1", "'alice'");
        add(ROOM, "c2", "'alice'");
        add(ROOM, "c3", "'bob'");
        add(ROOM, "c4", null);
        add(ROOM, "c5", null);
        add(ROOM, "c6", "{'id':7,'org':'x'}");
        add(ROOM, "c7", "{'org':'x','id':7.0}");

        assertThat(stats(ROOM)).isEqualTo(new PresenceStats(7, 3));
        assertThat(stats(OTHER)).isEqualTo(new PresenceStats(0, 0));
    }

    @Test
    void entries_expire_after_the_ttl_unless_added_again() {
        add(ROOM, "stale", "'alice'");
        add(ROOM, "fresh", "'bob'");

        loop.advance(TTL.minusSeconds(1));
        assertThat(list(ROOM)).containsOnlyKeys("stale", "fresh");
        add(ROOM, "fresh", "'bob'");
        loop.advance(Duration.ofSeconds(1));

        assertThat(list(ROOM)).containsOnlyKeys("fresh");
        assertThat(stats(ROOM)).isEqualTo(new PresenceStats(1, 1));

        loop.advance(TTL);
        assertThat(list(ROOM)).isEmpty();
    }

    @Test
    void expired_entries_are_not_counted_even_before_the_sweeper_ran() {
        add(OTHER, "c0", "'bob'"); // starts the sweeper: runs at 60 s and 120 s
        loop.advance(Duration.ofSeconds(30));
        add(ROOM, "c1", "'alice'"); // expires at 90 s

        loop.advance(Duration.ofSeconds(60));

        assertThat(presence.channelCount()).as("not swept yet").isEqualTo(1);
        assertThat(stats(ROOM)).isEqualTo(new PresenceStats(0, 0));
        assertThat(list(ROOM)).isEmpty();
        assertThat(presence.channelCount()).isZero();
    }

    @Test
    void the_sweeper_removes_expired_channels_and_stops_when_nothing_is_left() {
        assertThat(loop.pendingTimers()).isZero();
        add(ROOM, "c1", "'alice'");
        add(OTHER, "c2", null);
        assertThat(loop.pendingTimers()).isEqualTo(1);

        loop.advance(TTL);

        assertThat(presence.channelCount()).isZero();
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void the_sweeper_keeps_running_while_entries_are_refreshed_and_starts_again_after_stopping() {
        add(ROOM, "c1", "'alice'");
        for (int i = 0; i < 5; i++) {
            loop.advance(TTL.dividedBy(2));
            add(ROOM, "c1", "'alice'");
        }
        assertThat(loop.pendingTimers()).isEqualTo(1);
        assertThat(list(ROOM)).containsOnlyKeys("c1");

        loop.advance(TTL.multipliedBy(3));
        assertThat(loop.pendingTimers()).isZero();

        add(ROOM, "c2", null);
        assertThat(loop.pendingTimers()).isEqualTo(1);
    }

    @Test
    void removing_the_last_entry_lets_the_sweeper_stop_at_its_next_run() {
        add(ROOM, "c1", "'alice'");
        remove(ROOM, "c1");

        loop.advance(TTL);

        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void close_stops_the_sweeper() {
        add(ROOM, "c1", "'alice'");

        presence.close();

        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void a_ttl_that_is_not_positive_is_refused() {
        assertThatThrownBy(() -> new MemoryPresence(loop, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MemoryPresence(loop, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers

    private void add(JsonKey channel, String clientId, String identity) {
        JsonNode id = identity == null ? null : json(identity);
        boolean[] answered = {false};
        presence.add(channel, new PresenceInfo(clientId, id), (ignored, failure) -> {
            assertThat(failure).isNull();
            answered[0] = true;
        });
        assertThat(answered[0]).isTrue();
    }

    private void remove(JsonKey channel, String clientId) {
        boolean[] answered = {false};
        presence.remove(channel, clientId, (ignored, failure) -> {
            assertThat(failure).isNull();
            answered[0] = true;
        });
        assertThat(answered[0]).isTrue();
    }

    private Map<String, PresenceInfo> list(JsonKey channel) {
        Object[] answer = new Object[1];
        presence.presence(channel, (present, failure) -> {
            assertThat(failure).isNull();
            answer[0] = present;
        });
        @SuppressWarnings("unchecked")
        Map<String, PresenceInfo> present = (Map<String, PresenceInfo>) answer[0];
        return Map.copyOf(present);
    }

    private PresenceStats stats(JsonKey channel) {
        PresenceStats[] answer = new PresenceStats[1];
        presence.stats(channel, (stats, failure) -> {
            assertThat(failure).isNull();
            answer[0] = stats;
        });
        return answer[0];
    }
}
