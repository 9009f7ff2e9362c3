package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** One IO-thread task per publication, whatever the number of subscribers it reaches on that thread. */
class FlushQueueTest {
    /** Stands in for the IO thread: keeps the tasks handed to it until {@link #runAll}. */
    private final ArrayDeque<Runnable> ioTasks = new ArrayDeque<>();
    private final FlushQueue queue = new FlushQueue(ioTasks::add);

    @Test
    void a_thousand_connections_marked_by_one_publication_cost_one_io_thread_task() {
        List<Fake> subscribers = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Fake subscriber = new Fake("s" + i, 1);
            subscribers.add(subscriber);
            queue.mark(subscriber);
        }

        assertThat(ioTasks).hasSize(1);
        runAll();

        assertThat(subscribers).allSatisfy(s -> assertThat(s.flushes).isEqualTo(1));
        assertThat(queue.flushes()).isEqualTo(1_000);
        assertThat(queue.frames()).isEqualTo(1_000);
    }

    @Test
    void marks_arriving_after_a_drain_began_get_a_task_of_their_own_and_none_is_lost() {
        Fake first = new Fake("first", 2);
        Fake late = new Fake("late", 3);
        first.onFlush = () -> queue.mark(late); // marked while the drain runs, as the loop may do
        queue.mark(first);

        runAll();

        assertThat(first.flushes).isEqualTo(1);
        assertThat(late.flushes).isEqualTo(1);
        assertThat(queue.flushes()).isEqualTo(2);
        assertThat(queue.frames()).isEqualTo(5);
        assertThat(ioTasks).isEmpty();

        queue.mark(first);
        assertThat(ioTasks).as("an emptied queue schedules again on the next mark").hasSize(1);
    }

    @Test
    void a_connection_whose_flush_throws_is_aborted_and_the_others_are_still_flushed() {
        Fake broken = new Fake("broken", 1);
        broken.onFlush = () -> {
            throw new IllegalStateException("boom");
        };
        Fake after = new Fake("after", 1);
        queue.mark(broken);
        queue.mark(after);

        runAll();

        assertThat(broken.aborted).isTrue();
        assertThat(after.flushes).isEqualTo(1);
        assertThat(after.aborted).isFalse();
        assertThat(queue.flushes()).isEqualTo(1);
    }

    @Test
    void a_refused_task_does_not_leave_the_queue_stuck_for_later_marks() {
        boolean[] refuse = {true};
        ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        FlushQueue stopping = new FlushQueue(task -> {
            if (refuse[0]) {
                throw new RejectedExecutionException("stopping");
            }
            tasks.add(task);
        });
        assertThatThrownBy(() -> stopping.mark(new Fake("first", 1))).isInstanceOf(RejectedExecutionException.class);

        refuse[0] = false;
        Fake second = new Fake("second", 1);
        stopping.mark(second);

        assertThat(tasks).hasSize(1);
        tasks.poll().run();
        assertThat(second.flushes).isEqualTo(1);
    }

    @Test
    void flushes_with_nothing_to_write_are_not_counted() {
        queue.mark(new Fake("empty", 0));

        runAll();

        assertThat(queue.flushes()).isZero();
        assertThat(queue.frames()).isZero();
    }

    @Test
    void the_write_buffer_is_direct_and_shared_by_the_io_thread() {
        var buffer = queue.writeBuffer();
        assertThat(buffer.isDirect()).isTrue();
        assertThat(buffer.capacity()).isEqualTo(FlushQueue.WRITE_BUFFER_BYTES);
        assertThat(queue.writeBuffer()).isSameAs(buffer);
    }

    private void runAll() {
        Runnable task;
        while ((task = ioTasks.poll()) != null) {
            task.run();
        }
    }

    private static final class Fake implements FlushQueue.Target {
        private final String name;
        private final int frames;
        Runnable onFlush = () -> { };
        int flushes;
        boolean aborted;

        Fake(String name, int frames) {
            this.name = name;
            this.frames = frames;
        }

        @Override
        public int flush(FlushQueue queue) {
            onFlush.run();
            flushes++;
            return frames;
        }

        @Override
        public void abort() {
            aborted = true;
        }

        @Override
        public String describe() {
            return name;
        }
    }
}
