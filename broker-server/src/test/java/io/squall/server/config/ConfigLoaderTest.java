package io.squall.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaults_are_the_documented_ones() {
        ServerConfig config = ConfigLoader.load(new String[0], Map.of());

        assertThat(config.publicHost()).isEqualTo("0.0.0.0");
        assertThat(config.publicPort()).isEqualTo(8080);
        assertThat(config.wsPath()).isEqualTo("/ws");
        assertThat(config.privateHost()).isEqualTo("127.0.0.1");
        assertThat(config.privatePort()).isEqualTo(8081);
        assertThat(config.backendKey()).isEmpty();
        assertThat(config.backendDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.backendMaxBodyBytes()).isEqualTo(1 << 20);
        assertThat(config.allowedOrigins()).isEmpty();
        assertThat(config.allowMissingOrigin()).isTrue();
        assertThat(config.pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(config.pongTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxFrameBytes()).isEqualTo(64 * 1024);
        assertThat(config.maxQueuedBytes()).isEqualTo(1 << 20);
        assertThat(config.maxSubscriptions()).isEqualTo(128);
        assertThat(config.httpHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.httpMaxHeaderBytes()).isEqualTo(16 * 1024);
        assertThat(config.httpMaxPendingConnections()).isEqualTo(1024);
        assertThat(config.maxConnections()).as("no cap of its own").isZero();
        assertThat(config.fdReserve()).isEqualTo(256);
        assertThat(config.clientsMayPublish()).isTrue();
        assertThat(config.pubsubService()).isEqualTo("pubsub");
        assertThat(config.pubsubBackendService()).isEqualTo("pubsub_backend");
        assertThat(config.loopQueueCapacity()).isEqualTo(65_536);
        assertThat(config.workerThreads()).isEqualTo(4);
        assertThat(config.ioThreads()).as("0 means one per core, at least 2")
                .isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.logLevel()).isEqualTo("INFO");
        assertThat(ServerConfig.defaults()).isEqualTo(config);
    }

    @Test
    void each_source_overrides_the_one_before() throws IOException {
        Path file = file("ping.interval=1s", "pong.timeout=2s", "max.subscriptions=3", "public.port=9001");
        Map<String, String> env = Map.of("SQUALL_PONG_TIMEOUT", "20s", "SQUALL_MAX_SUBSCRIPTIONS", "30",
                "SQUALL_PUBLIC_PORT", "9002");

        ServerConfig config = ConfigLoader.load(new String[] {"--config", file.toString(), "--max.subscriptions=300",
            "--public.port=9003"}, env);

        assertThat(config.workerThreads()).as("default").isEqualTo(4);
        assertThat(config.pingInterval()).as("file over default").isEqualTo(Duration.ofSeconds(1));
        assertThat(config.pongTimeout()).as("env over file").isEqualTo(Duration.ofSeconds(20));
        assertThat(config.maxSubscriptions()).as("flag over env").isEqualTo(300);
        assertThat(config.publicPort()).as("flag over env over file").isEqualTo(9003);
    }

    @Test
    void one_key_falls_back_level_by_level() throws IOException {
        Path file = file("public.port=9001");
        String[] withFile = {"--config=" + file};

        assertThat(load(List.of()).publicPort()).isEqualTo(8080);
        assertThat(ConfigLoader.load(withFile, Map.of()).publicPort()).isEqualTo(9001);
        assertThat(ConfigLoader.load(withFile, Map.of("SQUALL_PUBLIC_PORT", "9002")).publicPort()).isEqualTo(9002);
        assertThat(ConfigLoader.load(new String[] {"--config=" + file, "--public.port=9003"},
                Map.of("SQUALL_PUBLIC_PORT", "9002")).publicPort()).isEqualTo(9003);
    }

    @Test
    void config_file_can_come_from_squall_config_and_the_flag_wins() throws IOException {
        Path fromEnv = file("max.subscriptions=7");
        Path fromFlag = file("max.subscriptions=8");

        assertThat(ConfigLoader.load(new String[0], Map.of("SQUALL_CONFIG", fromEnv.toString())).maxSubscriptions())
                .isEqualTo(7);
        assertThat(ConfigLoader.load(new String[] {"--config", fromFlag.toString()},
                Map.of("SQUALL_CONFIG", fromEnv.toString())).maxSubscriptions()).isEqualTo(8);
    }

    @Test
    void flags_take_both_forms() {
        ServerConfig config = load(List.of("--public.port", "9100", "--private.port=9101", "--ws.path", "/socket",
                "--allowed.origins=https://a.example, https://*.b.example"));

        assertThat(config.publicPort()).isEqualTo(9100);
        assertThat(config.privatePort()).isEqualTo(9101);
        assertThat(config.wsPath()).isEqualTo("/socket");
        assertThat(config.allowedOrigins()).containsExactly("https://a.example", "https://*.b.example");
    }

    @Test
    void value_with_an_equals_sign_is_kept_whole() {
        assertThat(load(List.of("--backend.key=abc=def=0123456789xyz")).backendKey())
                .isEqualTo(Optional.of("abc=def=0123456789xyz"));
    }

    @Test
    void environment_variables_outside_squall_are_ignored() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(name -> name.startsWith("SQUALL_"));
        env.put("PATH", "/usr/bin");
        env.put("SQUALLX", "1");

        assertThat(ConfigLoader.load(new String[0], env)).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void unknown_key_in_a_file_is_an_error_naming_it() throws IOException {
        Path file = file("public.port=9000", "pubilc.host=1.2.3.4");

        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pubilc.host");
    }

    @Test
    void unknown_environment_variable_is_an_error_naming_it() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("SQUALL_PUBLIC_PROT", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SQUALL_PUBLIC_PROT");
    }

    @Test
    void a_blank_service_name_is_an_error_naming_its_key() {
        assertThatThrownBy(() -> load(List.of("--pubsub.service= ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pubsub.service");
        assertThatThrownBy(() -> load(List.of("--pubsub.backend.service=")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pubsub.backend.service");
    }

    @Test
    void a_datasync_limit_out_of_range_is_an_error_naming_its_key() {
        assertThatThrownBy(() -> load(List.of("--datasync.token.expiry=0s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("datasync.token.expiry");
        assertThatThrownBy(() -> load(List.of("--datasync.max.pending=0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("datasync.max.pending");
    }

    @Test
    void unknown_flag_is_an_error_naming_it() {
        assertThatThrownBy(() -> load(List.of("--public.prot=1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.prot");
    }

    @Test
    void malformed_arguments_are_errors() {
        assertThatThrownBy(() -> load(List.of("public.port=1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.port=1");
        assertThatThrownBy(() -> load(List.of("--public.port"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.port");
        assertThatThrownBy(() -> load(List.of("--"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missing_config_file_is_an_error_naming_it() {
        Path missing = dir.resolve("nope.properties");

        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config", missing.toString()}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope.properties");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "public.port | 70000",
        "public.port | -1",
        "private.port | abc",
        "public.port | ''",
        "ping.interval | 5x",
        "pong.timeout | 0s",
        "backend.deadline | -5s",
        "shutdown.timeout | 99999999999999999999s",
        "ping.interval | 9999999999999999h",
        "max.frame.bytes | 1TB",
        "backend.max.body.bytes | 3GiB",
        "backend.max.body.bytes | 100",
        "max.queued.bytes | 99999999999999999999",
        "allow.missing.origin | yes",
        "clients.may.publish | 1",
        "backend.key | short-key",
        "log.level | LOUD",
        "max.subscriptions | 0",
        "worker.threads | 0",
        "loop.queue.capacity | 1",
        "ws.path | ws",
        "http.header.timeout | 0ms",
        "http.max.header.bytes | 512",
        "http.max.pending.connections | 0",
        "max.connections | -1",
        "fd.reserve | -1",
        "max.key.bytes | 63",
        "max.key.bytes | lots",
        "max.connection.state.bytes | 512",
        "allowed.origins | https://app.example.com/",
        "allowed.origins | https://ok.example, app.example.com",
        "allowed.origins | https://evil.com/.example.org",
        "allowed.origins | https://*example.com",
        "public.url | ws://broker.example.com",
        "public.url | broker.example.com",
        "public.url | https://user@broker.example.com",
        "metrics.key | fifteen-chars-x",
    })
    void bad_value_is_an_error_naming_the_key(String key, String value) {
        assertThatThrownBy(() -> load(List.of("--" + key + "=" + value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
    }

    @Test
    void bad_value_from_the_environment_names_the_key() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("SQUALL_PUBLIC_PORT", "abc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.port");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plugins.dir", "auth.jwt.public.key", "auth.jwt.jwks", "auth.jwt.private.key"})
    void a_path_the_platform_refuses_is_an_error_naming_the_key(String key) { // found by ConfigFuzzTest
        assertThatThrownBy(() -> load(List.of("--" + key + "=a\u0000b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config=a\u0000b"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"history.meta.ttl", "idempotency.ttl"})
    void a_ttl_of_zero_is_an_error_naming_the_key(String key) { // found by ConfigFuzzTest
        assertThatThrownBy(() -> load(List.of("--" + key + "=0s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"presence.ttl", "history.meta.ttl", "idempotency.ttl", "redis.command.timeout"})
    void a_redis_duration_out_of_range_is_an_error_naming_the_key(String key) { // found by ConfigFuzzTest
        assertThatThrownBy(() -> load(List.of("--engine=redis", "--" + key + "=0s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
    }

    @Test
    void max_queued_bytes_must_hold_one_frame() {
        assertThatThrownBy(() -> load(List.of("--max.frame.bytes=64KiB", "--max.queued.bytes=32KiB")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max.queued.bytes");
        // found by ConfigFuzzTest: a frame limit above the default queue limit names the key that was given
        assertThatThrownBy(() -> load(List.of("--max.frame.bytes=2MiB")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max.frame.bytes");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"500ms, 500", "25s, 25000", "2m, 120000", "1h, 3600000", "PT3S, 3000", "PT0.25S, 250"})
    void durations(String value, long millis) {
        assertThat(load(List.of("--ping.interval=" + value)).pingInterval()).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"65536, 65536", "64KiB, 65536", "1MiB, 1048576", "64KB, 64000", "2MB, 2000000", "1GiB, 1073741824",
        "4096B, 4096"})
    void sizes(String value, int bytes) {
        assertThat(load(List.of("--max.frame.bytes=" + value, "--max.queued.bytes=1GiB")).maxFrameBytes())
                .isEqualTo(bytes);
    }

    @Test
    void values_are_trimmed_and_booleans_and_levels_ignore_case() throws IOException {
        Path file = file("max.subscriptions = 9 ", "clients.may.publish=FALSE");

        ServerConfig config = ConfigLoader.load(new String[] {"--config", file.toString(), "--log.level=debug"},
                Map.of());

        assertThat(config.maxSubscriptions()).isEqualTo(9);
        assertThat(config.clientsMayPublish()).isFalse();
        assertThat(config.logLevel()).isEqualTo("DEBUG");
    }

    @Test
    void io_threads_zero_means_one_per_core_and_a_number_is_kept() {
        assertThat(load(List.of("--io.threads=3")).ioThreads()).isEqualTo(3);
        assertThat(load(List.of("--io.threads=0")).ioThreads())
                .isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void blank_backend_key_means_generate_one() {
        assertThat(load(List.of("--backend.key=")).backendKey()).isEmpty();
        assertThat(ConfigLoader.load(new String[0], Map.of("SQUALL_BACKEND_KEY", "   ")).backendKey()).isEmpty();
        assertThat(load(List.of("--backend.key=0123456789abcdef")).backendKey()).hasValue("0123456789abcdef");
    }

    @Test
    void state_limits_default_to_1_kib_keys_and_64_kib_per_connection_and_take_sizes() {
        assertThat(load(List.of()).stateLimits()).isEqualTo(new io.squall.core.state.StateLimits(1024, 65_536));
        assertThat(load(List.of("--max.key.bytes=4KiB", "--max.connection.state.bytes=1MiB")).stateLimits())
                .isEqualTo(new io.squall.core.state.StateLimits(4096, 1 << 20));
    }

    private static ServerConfig load(List<String> args) {
        return ConfigLoader.load(args.toArray(String[]::new), Map.of());
    }

    private Path file(String... lines) throws IOException {
        Path file = Files.createTempFile(dir, "squall", ".properties");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }
}
