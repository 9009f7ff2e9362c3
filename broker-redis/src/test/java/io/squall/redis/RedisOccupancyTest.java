package io.squall.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.cluster.Occupancy;
import io.squall.api.JsonKey;
import io.squall.redis.testing.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cluster-wide occupancy on real Redis, from two nodes: one transition each way, in partitions Java can name. */
class RedisOccupancyTest {
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

    private static Occupancy occupancy(Node node) {
        return node.engine.occupancy();
    }

    @Test
    void first_in_and_last_out_across_nodes_are_the_only_changes_each_kept_in_its_partition() throws Exception {
        for (int c = 0; c < 40; c++) {
            JsonKey channel = JsonKey.of("room:" + c);
            long occupied = a.call(done -> occupancy(a).enter("pubsub", channel, done));
            long again = b.call(done -> occupancy(b).enter("pubsub", channel, done));
            long repeated = b.call(done -> occupancy(b).enter("pubsub", channel, done));
            long stillHeld = a.call(done -> occupancy(a).leave("pubsub", channel, done));
            long vacated = b.call(done -> occupancy(b).leave("pubsub", channel, done));
            assertThat(occupied).isPositive();
            assertThat(again).isZero();
            assertThat(repeated).as("idempotent").isZero();
            assertThat(stillHeld).isZero();
            assertThat(vacated).isGreaterThan(occupied);
            int partition = occupancy(a).partitionOf("pubsub", channel);
            List<Occupancy.Entry> entries = a.call(done -> occupancy(a).read(partition, null, 1000, done));
            List<Occupancy.Entry> mine = entries.stream().filter(entry -> entry.channel().equals(channel)).toList();
            assertThat(mine).as("both changes in the partition Java names").hasSize(2);
            assertThat(mine.get(0).occupied()).isTrue();
            assertThat(mine.get(0).seq()).isEqualTo(occupied);
            assertThat(mine.get(0).node()).isEqualTo("a");
            assertThat(mine.get(1).occupied()).isFalse();
            assertThat(mine.get(1).seq()).isEqualTo(vacated);
            assertThat(mine.get(1).node()).isEqualTo("b");
            a.<Void>call(done -> occupancy(a).delete(partition, mine.stream().map(Occupancy.Entry::id).toList(),
                    done));
            List<Occupancy.Entry> left = a.call(done -> occupancy(a).read(partition, null, 1000, done));
            assertThat(left).noneMatch(entry -> entry.channel().equals(channel));
        }
    }

    @Test
    void a_full_partition_keeps_no_more_and_counts_what_it_did_not_keep() throws Exception {
        RedisOccupancy small = a.call(done -> done.accept(a.engine.occupancy(2), null));
        int partition = 7;
        List<Occupancy.Entry> earlier = a.call(done -> small.read(partition, null, 1000, done));
        if (!earlier.isEmpty()) { // another test's changes: this one starts from an empty partition
            a.<Void>call(done -> small.delete(partition, earlier.stream().map(Occupancy.Entry::id).toList(), done));
        }
        long before = a.<Long>call(done -> small.dropped(done));
        int entered = 0;
        for (int c = 0; entered < 5; c++) {
            JsonKey channel = JsonKey.of("full:" + c);
            if (small.partitionOf("pubsub", channel) == partition) {
                assertThat(a.<Long>call(done -> small.enter("pubsub", channel, done))).isPositive();
                entered++;
            }
        }
        assertThat(a.<List<Occupancy.Entry>>call(done -> small.read(partition, null, 1000, done))).hasSize(2);
        assertThat(a.<Long>call(done -> small.dropped(done)) - before).as("counted, not kept").isEqualTo(3);
        assertThat(b.<Long>call(done -> occupancy(b).dropped(done))).as("one count for the cluster")
                .isEqualTo(before + 3);
    }

    @Test
    void a_dead_nodes_channels_are_vacated_once() throws Exception {
        JsonKey alone = JsonKey.of("dead-alone");
        JsonKey shared = JsonKey.of("dead-shared");
        a.<Long>call(done -> occupancy(a).enter("pubsub", alone, done));
        a.<Long>call(done -> occupancy(a).enter("pubsub", shared, done));
        b.<Long>call(done -> occupancy(b).enter("pubsub", shared, done));
        List<Occupancy.Change> first = b.call(done -> occupancy(b).releaseNode("a", done));
        List<Occupancy.Change> second = b.call(done -> occupancy(b).releaseNode("a", done));
        assertThat(first).extracting(Occupancy.Change::channel).as("b still holds the shared one").contains(alone)
                .doesNotContain(shared);
        assertThat(second).isEmpty();
    }
}
