package io.squall.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.api.JsonKey;
import io.squall.server.hooks.WebhookRules.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WebhookConfigTest {
    private static final String SECRET = "--hooks.secret=0123456789abcdef";

    private static ServerConfig load(String... flags) {
        return ConfigLoader.load(flags, Map.of());
    }

    @Test
    void off_by_default() {
        assertThat(load().webhooks()).isEmpty();
    }

    @Test
    void reads_every_key() {
        WebhookConfig config = load("--webhooks.url=http://127.0.0.1:9/hooks", SECRET,
                "--webhooks.channels=orders:* occupied,vacated,subscribed; chat:* unsubscribed",
                "--webhooks.connections=connected, disconnected", "--webhooks.batch.size=10",
                "--webhooks.queue.size=50", "--webhooks.timeout=2s", "--webhooks.retry.min=10ms",
                "--webhooks.retry.max=1s", "--webhooks.services=pubsub, chat").webhooks().orElseThrow();
        assertThat(config.url().toString()).isEqualTo("http://127.0.0.1:9/hooks");
        assertThat(config.channels().of(JsonKey.of("orders:1")))
                .containsExactlyInAnyOrder(Event.OCCUPIED, Event.VACATED, Event.SUBSCRIBED);
        assertThat(config.channels().of(JsonKey.of("chat:1"))).containsExactly(Event.UNSUBSCRIBED);
        assertThat(config.channels().of(JsonKey.of("other"))).isEmpty();
        assertThat(config.connections()).isEqualTo(Set.of(Event.CONNECTED, Event.DISCONNECTED));
        assertThat(config.batchSize()).isEqualTo(10);
        assertThat(config.queueSize()).isEqualTo(50);
        assertThat(config.services()).isEqualTo(Set.of("pubsub", "chat"));
        assertThat(load("--webhooks.url=http://127.0.0.1:9/hooks", SECRET).webhooks().orElseThrow().services())
                .as("the default").isEqualTo(Set.of("pubsub"));
    }

    /** Every bad value is refused at start with a message naming its key. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "webhooks.url=ftp://x/hooks | webhooks.url",
        "webhooks.url=not a url | webhooks.url",
        "webhooks.channels=orders:* occupied | webhooks.url",
        "webhooks.connections=connected | webhooks.url",
        "webhooks.channels=orders:* occupied,joined | webhooks.channels",
        "webhooks.channels=orders:* | webhooks.channels",
        "webhooks.channels=user:{identity} subscribed | webhooks.channels",
        "webhooks.channels=orders:* occupied,occupied | webhooks.channels",
        "webhooks.connections=occupied | webhooks.connections",
        "webhooks.batch.size=0 | webhooks.batch.size",
        "webhooks.batch.size=1001 | webhooks.batch.size",
        "webhooks.queue.size=5 | webhooks.queue.size",
        "webhooks.timeout=0s | webhooks.timeout",
        "webhooks.retry.min=0s | webhooks.retry.min",
        "webhooks.retry.max=1ms | webhooks.retry.max",
        "webhooks.services=pubsub,cursors | webhooks.services",
    })
    void a_bad_value_names_its_key(String flag, String key) {
        List<String> flags = new ArrayList<>(List.of("--" + flag, SECRET));
        if (!flag.startsWith("webhooks.url") && !key.equals("webhooks.url")) {
            flags.add("--webhooks.url=http://127.0.0.1:9/hooks");
        }
        assertThatThrownBy(() -> load(flags.toArray(String[]::new))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
    }

    @Test
    void the_secret_is_required_and_long_enough() {
        assertThatThrownBy(() -> load("--webhooks.url=http://127.0.0.1:9/hooks"))
                .hasMessageContaining("hooks.secret");
        assertThatThrownBy(() -> load("--webhooks.url=http://127.0.0.1:9/hooks", "--hooks.secret=short"))
                .hasMessageContaining("hooks.secret");
    }
}
