package io.squall.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyConfigTest {
    private static final String SECRET = "--hooks.secret=0123456789abcdef";

    private static ProxyConfig load(String... args) {
        return ConfigLoader.load(args, Map.of()).proxies();
    }

    @Test
    void off_by_default_and_read_when_set() {
        assertThat(load().any()).isFalse();
        ProxyConfig config = load(SECRET, "--proxy.subscribe.url=http://app:8000/sub", "--proxy.subscribe.timeout=300ms",
                "--proxy.subscribe.channels=a:*; b:{identity}", "--proxy.headers=Cookie, X-Tenant");
        assertThat(config.subscribe().orElseThrow().url().toString()).isEqualTo("http://app:8000/sub");
        assertThat(config.subscribe().orElseThrow().timeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(config.subscribeChannels()).hasSize(2);
        assertThat(config.headers()).containsExactly("cookie", "x-tenant");
        assertThat(config.publish()).isEmpty();
    }

    @Test
    void bad_values_name_their_key() {
        assertThatThrownBy(() -> load("--proxy.rpc.url=http://app/rpc"))
                .hasMessageContaining("hooks.secret").hasMessageContaining("must be set")
                .hasMessageContaining("proxy.rpc.url"); // the key given (found by ConfigFuzzTest)
        assertThatThrownBy(() -> load("--hooks.secret=short", "--proxy.rpc.url=http://app/rpc"))
                .hasMessageContaining("hooks.secret must be at least 16");
        assertThatThrownBy(() -> load(SECRET, "--proxy.connect.url=ftp://app/c")).hasMessageContaining("proxy.connect.url");
        assertThatThrownBy(() -> load(SECRET, "--proxy.connect.url=not a url")).hasMessageContaining("proxy.connect.url");
        assertThatThrownBy(() -> load(SECRET, "--proxy.publish.timeout=0s")).hasMessageContaining("proxy.publish.timeout");
        assertThatThrownBy(() -> load(SECRET, "--proxy.subscribe.channels=a:{user}"))
                .hasMessageContaining("proxy.subscribe.channels").hasMessageContaining("pattern 1");
        assertThatThrownBy(() -> load(SECRET, "--proxy.headers=Content-Type")).hasMessageContaining("proxy.headers");
        assertThatThrownBy(() -> load(SECRET, "--proxy.headers=X-Squall-Node")).hasMessageContaining("proxy.headers");
        assertThatThrownBy(() -> load(SECRET, "--proxy.headers=bad header")).hasMessageContaining("proxy.headers");
        assertThatThrownBy(() -> load(SECRET, "--proxy.max.concurrency=0")).hasMessageContaining("proxy.max.concurrency");
        assertThatThrownBy(() -> load(SECRET, "--proxy.breaker.failures=x")).hasMessageContaining("proxy.breaker.failures");
        assertThatThrownBy(() -> load(SECRET, "--proxy.breaker.cooldown=-1s"))
                .hasMessageContaining("proxy.breaker.cooldown");
        assertThatThrownBy(() -> load(SECRET, "--proxy.rpc.url=http://app/rpc", "--proxy.rpc.service="))
                .hasMessageContaining("proxy.rpc.service");
    }
}
