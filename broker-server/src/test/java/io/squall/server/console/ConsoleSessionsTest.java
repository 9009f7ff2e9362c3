package io.squall.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(10), 3, now::get);

    @Test
    void ids_are_random_256_bit_and_only_their_digest_finds_a_session() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String id = sessions.create();
            assertThat(id).matches("[A-Za-z0-9_-]{43}");
            ids.add(id);
        }
        assertThat(ids).hasSize(3);
        String id = ids.iterator().next();
        assertThat(sessions.find(id)).isPresent();
        assertThat(sessions.find(id.substring(1) + "A")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("")).isEmpty();
    }

    @Test
    void a_session_expires_after_its_ttl_and_its_handle_goes_with_it() {
        String id = sessions.create();
        String handle = sessions.find(id).orElseThrow().handle();
        assertThat(sessions.isLive(handle)).isTrue();
        now.addAndGet(Duration.ofMinutes(10).toNanos() - 1);
        assertThat(sessions.find(id)).isPresent();
        now.addAndGet(1);
        assertThat(sessions.find(id)).isEmpty();
        assertThat(sessions.isLive(handle)).isFalse();
        sessions.create();
        assertThat(sessions.size()).as("expired ones are dropped at the next login").isEqualTo(1);
    }

    @Test
    void past_the_bound_a_new_login_ends_the_oldest() {
        String first = sessions.create();
        now.incrementAndGet();
        String second = sessions.create();
        now.incrementAndGet();
        sessions.create();
        now.incrementAndGet();
        String fourth = sessions.create();
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.find(first)).isEmpty();
        assertThat(sessions.find(second)).isPresent();
        assertThat(sessions.find(fourth)).isPresent();
    }

    @Test
    void logout_ends_one_session_only() {
        String a = sessions.create();
        String b = sessions.create();
        String handle = sessions.find(a).orElseThrow().handle();
        sessions.end(a);
        sessions.end(null);
        sessions.end("unknown");
        assertThat(sessions.find(a)).isEmpty();
        assertThat(sessions.isLive(handle)).isFalse();
        assertThat(sessions.find(b)).isPresent();
    }
}
