package io.squall.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.api.JsonKey;
import io.squall.core.loop.ManualEventLoop;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The memory engine's claims: one owner per name, refresh, expiry, take, and a dead node's names freed. */
class MemoryClaimsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TTL = Duration.ofSeconds(30);
    private final ManualEventLoop loop = new ManualEventLoop();
    private final MemoryClaims claims = new MemoryClaims(loop);
    private final JsonKey space = JsonKey.of("messaging:names");
    private final JsonNode alice = owner("n1", "n1/1");
    private final JsonNode bob = owner("n2", "n2/1");

    private static JsonNode owner(String node, String conn) {
        return JSON.createObjectNode().put("node", node).put("conn", conn);
    }

    private static <T> T get(Consumer<BiConsumer<T, Throwable>> call) {
        AtomicReference<T> value = new AtomicReference<>();
        call.accept((result, failure) -> {
            assertThat(failure).isNull();
            value.set(result);
        });
        return value.get();
    }

    @Test
    void a_name_has_one_owner_who_may_refresh_it() {
        assertThat(MemoryClaimsTest.<Boolean>get(done -> claims.claim(space, "x", alice, TTL, done))).isTrue();
        assertThat(MemoryClaimsTest.<Boolean>get(done -> claims.claim(space, "x", bob, TTL, done))).isFalse();
        assertThat(MemoryClaimsTest.<Boolean>get(done -> claims.claim(space, "x", alice.deepCopy(), TTL, done))).isTrue();
        assertThat(MemoryClaimsTest.<JsonNode>get(done -> claims.owner(space, "x", done))).isEqualTo(alice);
        assertThat(MemoryClaimsTest.<Boolean>get(done -> claims.release(space, "x", bob, done))).isFalse();
        assertThat(MemoryClaimsTest.<Boolean>get(done -> claims.release(space, "x", alice, done))).isTrue();
        assertThat(MemoryClaimsTest.<JsonNode>get(done -> claims.owner(space, "x", done))).isNull();
        assertThat(claims.size()).isZero();
    }

    @Test
    void a_name_not_refreshed_expires_and_is_swept() {
        MemoryClaimsTest.<Boolean>get(done -> claims.claim(space, "x", alice, TTL, done));
        loop.advance(TTL.plusSeconds(11));
        assertThat(claims.size()).isZero();
        assertThat(MemoryClaimsTest.<Boolean>get(done -> claims.claim(space, "x", bob, TTL, done))).isTrue();
    }

    @Test
    void take_reads_once_and_put_overwrites() {
        MemoryClaimsTest.<Void>get(done -> claims.put(space, "token", alice, TTL, done));
        MemoryClaimsTest.<Void>get(done -> claims.put(space, "token", bob, TTL, done));
        assertThat(MemoryClaimsTest.<JsonNode>get(done -> claims.take(space, "token", done))).isEqualTo(bob);
        assertThat(MemoryClaimsTest.<JsonNode>get(done -> claims.take(space, "token", done))).isNull();
    }

    @Test
    void a_dead_nodes_names_are_freed_and_only_its_own() {
        MemoryClaimsTest.<Boolean>get(done -> claims.claim(space, "a", alice, TTL, done));
        MemoryClaimsTest.<Boolean>get(done -> claims.claim(space, "b", bob, TTL, done));
        assertThat(MemoryClaimsTest.<Integer>get(done -> claims.releaseNode(space, "n1", done))).isEqualTo(1);
        assertThat(MemoryClaimsTest.<Map<String, JsonNode>>get(done -> claims.all(space, done))).containsOnlyKeys("b");
    }
}
