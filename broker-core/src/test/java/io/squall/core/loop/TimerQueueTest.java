package io.squall.core.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The heap under both loops. ThreadEventLoop keeps its heap private, so the purge of cancelled timers is checked
 * here, with the test thread playing the loop thread exactly as ThreadEventLoop marks its own timers.
 */
class TimerQueueTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    private final TimerQueue timers = new TimerQueue();

    @Test
    void timers_cancelled_on_the_loop_are_purged_instead_of_piling_up() {
        List<TimerQueue.ScheduledTask> scheduled = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            TimerQueue.ScheduledTask timer = timers.add(HOUR + i, 0, () -> {});
            timer.loopThread = Thread.currentThread();
            scheduled.add(timer);
        }

        scheduled.forEach(TimerQueue.ScheduledTask::cancel);

        assertThat(timers.size()).isLessThan(1_024);
    }

    @Test
    void poll_due_skips_cancelled_timers_and_returns_the_earliest_live_one() {
        TimerQueue.ScheduledTask early = timers.add(1, 0, () -> {});
        TimerQueue.ScheduledTask late = timers.add(2, 0, () -> {});
        early.cancel();

        assertThat(timers.pollDue(0)).isNull();
        assertThat(timers.pollDue(5)).isSameAs(late);
        assertThat(timers.pollDue(5)).isNull();
    }
}
