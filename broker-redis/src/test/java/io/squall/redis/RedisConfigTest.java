package io.squall.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.api.JsonKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Config validation and the naming scheme, without Redis. */
class RedisConfigTest {

    @Test
    void defaults_follow_centrifuge() {
        RedisConfig config = RedisConfig.standalone("redis://localhost:6379", "n1");
        assertThat(config.keyPrefix()).isEqualTo("squall");
        assertThat(config.partitions()).isEqualTo(128);
        assertThat(config.presenceTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.historyMetaTtl()).isEqualTo(Duration.ofDays(30));
        assertThat(config.idempotencyTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.probeInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void bad_values_are_named_in_the_message() {
        assertThatThrownBy(() -> RedisConfig.standalone("http://x", "n1"))
                .hasMessageContaining("http://x");
        assertThatThrownBy(() -> RedisConfig.of(RedisConfig.Mode.STANDALONE,
                List.of("redis://a:1", "redis://b:1"), "n1")).hasMessageContaining("one address");
        assertThatThrownBy(() -> RedisConfig.of(RedisConfig.Mode.CLUSTER, List.of(), "n1"))
                .hasMessageContaining("at least one address");
        assertThatThrownBy(() -> RedisConfig.of(RedisConfig.Mode.SHARDED,
                List.of("redis-sentinel://s1:26379#mymaster"), "n1")).hasMessageContaining("Sentinel");
        assertThatThrownBy(() -> RedisConfig.standalone("redis://localhost", " "))
                .hasMessageContaining("node id");
        assertThatThrownBy(() -> RedisConfig.standalone("redis://localhost", "n1").withProbeInterval(Duration.ZERO))
                .hasMessageContaining("redis.probe.interval").hasMessageContaining("PT0S");
        assertThat(RedisConfig.standalone("rediss://user:secret@localhost:6380/0", "n1").uris().get(0).isSsl())
                .isTrue();
    }

    @Test
    void every_name_of_a_channel_carries_the_same_partition_tag() {
        ChannelNames names = new ChannelNames("squall", 128);
        JsonKey channel = JsonKey.of("chat");
        String tag = names.tag(names.partition(channel));
        assertThat(List.of(names.stream(channel), names.meta(channel), names.result(channel, "k"),
                names.pubSub(channel), names.presenceData(channel), names.presenceExpiry(channel)))
                .allSatisfy(name -> assertThat(name).contains("." + tag + ".\"chat\""));
        assertThat(names.channelText(names.pubSub(channel))).isEqualTo("\"chat\"");
        assertThat(names.channelText("other.ch.{1}.x")).isNull();
    }

    @Test
    void jump_hash_is_stable_and_spreads_channels_over_all_buckets() {
        assertThat(ChannelNames.fnv1a64("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(ChannelNames.fnv1a64("a")).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(ChannelNames.jump(0, 128)).isZero();
        long[] counts = new long[8];
        IntStream.range(0, 8_000).forEach(i -> counts[ChannelNames.jump(ChannelNames.fnv1a64("ch" + i), 8)]++);
        assertThat(Arrays.stream(counts).boxed().toList())
                .allSatisfy(count -> assertThat(count).isBetween(800L, 1_200L));
        // growing the buckets moves a channel only to the new bucket
        IntStream.range(0, 1_000).forEach(i -> {
            long key = ChannelNames.fnv1a64("ch" + i);
            int before = ChannelNames.jump(key, 8);
            int after = ChannelNames.jump(key, 9);
            assertThat(after).isIn(before, 8);
        });
    }
}
