package io.squall.core.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualEventLoopTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final List<String> ran = new ArrayList<>();

    @Test
    void advance_runs_due_timers_in_deadline_order_at_their_deadlines() {
        loop.schedule(Duration.ofSeconds(3), () -> ran.add("3s@" + loop.nanoTime()));
        loop.schedule(Duration.ofSeconds(1), () -> ran.add("1s@" + loop.nanoTime()));
        loop.schedule(Duration.ofSeconds(2), () -> ran.add("2s@" + loop.nanoTime()));
        loop.schedule(Duration.ofSeconds(9), () -> ran.add("9s"));

        loop.advance(Duration.ofSeconds(5));

        assertThat(ran).containsExactly("1s@1000000000", "2s@2000000000", "3s@3000000000");
        assertThat(loop.nanoTime()).isEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void timers_with_the_same_deadline_run_in_scheduling_order() {
        loop.schedule(Duration.ofSeconds(1), () -> ran.add("first"));
        loop.schedule(Duration.ofSeconds(1), () -> ran.add("second"));

        loop.advance(Duration.ofSeconds(1));

        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void a_periodic_timer_repeats_every_period() {
        loop.scheduleAtFixedRate(
                Duration.ofSeconds(1), Duration.ofSeconds(2), () -> ran.add("tick@" + loop.nanoTime() / 1_000_000_000));

        loop.advance(Duration.ofSeconds(6));

        assertThat(ran).containsExactly("tick@1", "tick@3", "tick@5");
    }

    @Test
    void a_cancelled_timer_does_not_run() {
        Cancellable timer = loop.schedule(Duration.ofSeconds(1), () -> ran.add("timer"));

        timer.cancel();
        loop.advance(Duration.ofSeconds(2));

        assertThat(ran).isEmpty();
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void a_cancelled_periodic_timer_stops_repeating() {
        Cancellable timer =
                loop.scheduleAtFixedRate(Duration.ofSeconds(1), Duration.ofSeconds(1), () -> ran.add("tick"));
        loop.advance(Duration.ofSeconds(2));

        timer.cancel();
        loop.advance(Duration.ofSeconds(5));

        assertThat(ran).containsExactly("tick", "tick");
    }

    @Test
    void run_blocking_result_arrives_on_run_pending() {
        loop.runBlocking(() -> "result", (result, failure) -> ran.add(result + "/" + failure));
        assertThat(ran).isEmpty();

        int tasks = loop.runPending();

        assertThat(tasks).isEqualTo(1);
        assertThat(ran).containsExactly("result/null");
    }

    @Test
    void run_blocking_failure_arrives_on_run_pending() {
        loop.runBlocking(
                () -> {
                    throw new IllegalStateException("boom");
                },
                (result, failure) -> ran.add(result + "/" + failure.getMessage()));

        loop.runPending();

        assertThat(ran).containsExactly("null/boom");
    }
}
