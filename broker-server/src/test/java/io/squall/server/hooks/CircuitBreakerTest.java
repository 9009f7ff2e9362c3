package io.squall.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private final CircuitBreaker breaker = new CircuitBreaker(3, 1_000);

    @Test
    void opens_after_the_consecutive_failures_and_a_success_resets_the_count() {
        breaker.failed(0);
        breaker.failed(0);
        breaker.succeeded();
        breaker.failed(0);
        breaker.failed(0);
        assertThat(breaker.allows(0)).isTrue();
        breaker.failed(10);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.allows(500)).isFalse();
    }

    @Test
    void after_the_cool_down_one_probe_goes_through_and_its_outcome_decides() {
        for (int i = 0; i < 3; i++) {
            breaker.failed(0);
        }
        assertThat(breaker.allows(1_000)).isTrue(); // the probe
        assertThat(breaker.allows(1_001)).isFalse(); // the others wait for it
        breaker.failed(1_100);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.allows(2_000)).isFalse();
        assertThat(breaker.allows(2_100)).isTrue();
        breaker.succeeded();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.allows(2_101)).isTrue();
        assertThat(breaker.allows(2_102)).isTrue();
    }
}
