package io.squall.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final AtomicLong now = new AtomicLong();
    private final LoginThrottle throttle = new LoginThrottle(now::get);

    @Test
    void a_burst_of_failures_then_one_more_try_per_refill() {
        for (int i = 0; i < LoginThrottle.BURST; i++) {
            assertThat(throttle.waitSeconds()).isZero();
            throttle.failed();
        }
        assertThat(throttle.waitSeconds()).isEqualTo(LoginThrottle.REFILL.toSeconds());
        now.addAndGet(LoginThrottle.REFILL.toNanos() / 2);
        assertThat(throttle.waitSeconds()).isEqualTo(LoginThrottle.REFILL.toSeconds() / 2);
        now.addAndGet(LoginThrottle.REFILL.toNanos() / 2);
        assertThat(throttle.waitSeconds()).isZero();
        throttle.failed();
        assertThat(throttle.waitSeconds()).isPositive();
    }

    @Test
    void right_logins_cost_nothing() {
        for (int i = 0; i < 100; i++) {
            assertThat(throttle.waitSeconds()).isZero();
        }
    }
}
