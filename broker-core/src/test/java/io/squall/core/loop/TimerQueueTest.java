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

    @Test
    void a_cancelled_timer_waiting_in_the_heap_no_longer_holds_its_task() {
        Object state = new byte[1024 * 1024];
        Runnable task = () -> state.hashCode();
        TimerQueue.ScheduledTask timer = timers.add(HOUR, 0, task);

        timer.cancel();

        assertThat(timers.size()).as("still in the heap, dropped lazily").isEqualTo(1);
        assertThat(timer.task()).as("but what it would have run is released at once").isNull();
    }

    @Test
    void a_one_shot_timer_that_ran_holds_nothing() {
        TimerQueue.ScheduledTask timer = timers.add(1, 0, () -> {});
        TimerQueue.ScheduledTask due = timers.pollDue(5);

        due.ran();

        assertThat(due).isSameAs(timer);
        assertThat(timer.task()).isNull();
        assertThat(timer.cancelled).isTrue();
    }
}
