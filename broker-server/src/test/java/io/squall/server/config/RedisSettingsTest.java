package io.squall.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.redis.RedisConfig;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Redis engine's node liveness settings: the heartbeat and the node timeout. */
class RedisSettingsTest {

    private static RedisConfig redis(String... flags) {
        String[] args = Stream.concat(Stream.of("--engine=redis", "--node.id=n1"), Stream.of(flags))
                .toArray(String[]::new);
        return ConfigLoader.load(args, Map.of()).engine().redis().orElseThrow();
    }

    @Test
    void defaults_are_a_3_s_heartbeat_and_a_node_timeout_of_two_and_a_half_beats() {
        RedisConfig config = redis();

        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.nodeTimeout()).isEqualTo(Duration.ofMillis(7500));
    }

    @Test
    void the_node_timeout_follows_the_heartbeat_unless_given() {
        assertThat(redis("--redis.heartbeat.interval=400ms").nodeTimeout()).isEqualTo(Duration.ofMillis(1000));
        RedisConfig both = redis("--redis.heartbeat.interval=1s", "--redis.node.timeout=5s");
        assertThat(both.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(both.nodeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(redis("--redis.heartbeat.interval=100ms", "--redis.node.timeout=200ms").nodeTimeout())
                .isEqualTo(Duration.ofMillis(200));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis.heartbeat.interval=0s | redis.heartbeat.interval (SQUALL_REDIS_HEARTBEAT_INTERVAL) must be at least 100ms",
        "redis.heartbeat.interval=-1s | redis.heartbeat.interval",
        "redis.heartbeat.interval=99ms | redis.heartbeat.interval (SQUALL_REDIS_HEARTBEAT_INTERVAL) must be at least 100ms",
        "redis.heartbeat.interval=often | redis.heartbeat.interval",
        "redis.node.timeout=5s | redis.node.timeout (SQUALL_REDIS_NODE_TIMEOUT) must be at least twice"
            + " redis.heartbeat.interval (6000ms), was '5s'",
        "redis.node.timeout=0s | redis.node.timeout",
        "redis.node.timeout=soon | redis.node.timeout",
    })
    void a_bad_value_is_an_error_naming_the_key(String flag, String message) {
        assertThatThrownBy(() -> redis("--" + flag))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void the_engine_refuses_the_same_values_built_by_hand() {
        RedisConfig config = RedisConfig.standalone("redis://127.0.0.1:6379", "n1");
        assertThatThrownBy(() -> config.withHeartbeatInterval(Duration.ofMillis(50)))
                .hasMessageContaining("redis.heartbeat.interval must be at least PT0.1S");
        assertThatThrownBy(() -> config.withNodeTimeout(Duration.ofSeconds(5)))
                .hasMessageContaining("redis.node.timeout must be at least PT6S");
    }
}
