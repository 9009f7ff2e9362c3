package io.squall.snap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeDirectoryTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final NodeDirectory directory = new NodeDirectory(60 * SECOND, 2);

    @Test
    void a_node_joins_once_and_again_only_after_leaving() {
        assertThat(directory.heard(1, "status", NOW, 0)).isNotNull();
        assertThat(directory.heard(1, "status", NOW, SECOND)).isNull();

        assertThat(directory.sweep(60 * SECOND)).isEmpty(); // heard at 1 s: silent for 59 s only
        assertThat(directory.sweep(61 * SECOND)).extracting(node -> node.address).containsExactly(1);
        assertThat(directory.sweep(62 * SECOND)).as("leaves once").isEmpty();
        assertThat(directory.online()).isZero();

        assertThat(directory.heard(1, "status", NOW, 70 * SECOND)).isNotNull();
        assertThat(directory.online()).isEqualTo(1);
    }

    @Test
    void when_full_the_longest_silent_node_is_forgotten() {
        directory.heard(1, "a", NOW, 0);
        directory.heard(2, "a", NOW, SECOND);
        directory.heard(1, "b", NOW, 2 * SECOND); // 1 is now the most recent

        directory.heard(3, "a", NOW, 3 * SECOND);

        assertThat(directory.nodes()).extracting(node -> node.address).containsExactly(1, 3);
        assertThat(directory.nodes().get(0).messages).isEqualTo(2);
        assertThat(directory.nodes().get(0).lastFunction).isEqualTo("b");
    }
}
