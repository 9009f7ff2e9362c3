package io.squall.core.loop;

import static io.squall.core.testing.Meters.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.squall.core.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real loop, on a real thread: the only tests that wait on the wall clock. Every wait is bounded, so a broken
 * loop fails the test instead of hanging it.
 */
class ThreadEventLoopTest {
    private static final String LOOP_NAME = "test-loop";
    private static final long AWAIT_MILLIS = 2_000;
    private static final Runnable NOTHING = () -> {};

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<CountDownLatch> toRelease = new ArrayList<>();
    private ThreadEventLoop loop;

    private ThreadEventLoop start(LoopConfig config) {
        loop = new ThreadEventLoop(LOOP_NAME, config, meters);
        return loop;
    }

    private ThreadEventLoop start() {
        return start(LoopConfig.defaults());
    }

    @AfterEach
    void stopLoop() {
        toRelease.forEach(CountDownLatch::countDown);
        if (loop != null) {
            loop.shutdown(Duration.ofSeconds(2));
        }
    }

    @Test
    void execute_from_another_thread_runs_the_task_on_the_named_loop_thread() throws Exception {
        start();

        String threadName = onLoop(() -> Thread.currentThread().getName() + "/" + loop.inLoop());

        assertThat(threadName).isEqualTo(LOOP_NAME + "/true");
        assertThat(loop.inLoop()).isFalse();
    }

    @Test
    void execute_on_the_loop_runs_the_task_inline_so_order_is_kept() throws Exception {
        start();
        List<Integer> order = new ArrayList<>();

        onLoop(() -> {
            order.add(1);
            loop.execute(() -> order.add(2));
            order.add(3);
            return null;
        });

        assertThat(order).containsExactly(1, 2, 3);
    }

    @Test
    void tasks_from_another_thread_run_in_submission_order() throws Exception {
        start();
        List<Integer> order = new ArrayList<>(); // touched on the loop only; read after the barrier below

        for (int i = 0; i < 5_000; i++) {
            int n = i;
            loop.execute(() -> order.add(n));
        }
        onLoop(() -> null);

        assertThat(order).hasSize(5_000).isSorted();
    }

    @Test
    void a_throwing_task_is_logged_and_counted_and_later_tasks_still_run() throws Exception {
        start();
        try (LogCapture logs = LogCapture.of(ThreadEventLoop.class)) {
            loop.execute(() -> {
                throw new IllegalStateException("boom");
            });

            String later = onLoop(() -> "still running");

            assertThat(later).isEqualTo("still running");
            assertThat(count(meters, "broker.loop.task.errors")).isEqualTo(1.0);
            assertThat(logs.at(Level.ERROR))
                    .singleElement()
                    .extracting(event -> event.getThrowableProxy().getMessage())
                    .isEqualTo("boom");
        }
    }

    @Test
    void execute_throws_overloaded_when_the_queue_is_full() throws Exception {
        start(new LoopConfig(2, 1, 1));
        blockLoop();
        loop.execute(NOTHING);
        loop.execute(NOTHING);

        assertThatThrownBy(() -> loop.execute(NOTHING)).isInstanceOf(LoopOverloadedException.class);
        assertThat(count(meters, "broker.loop.rejected")).isEqualTo(1.0);
    }

    @Test
    void execute_critical_is_accepted_when_the_queue_is_full_and_runs_once_the_loop_frees_up() throws Exception {
        start(new LoopConfig(2, 1, 1));
        CountDownLatch release = blockLoop();
        loop.execute(NOTHING);
        loop.execute(NOTHING);
        CountDownLatch criticalRan = new CountDownLatch(1);

        assertThatNoException().isThrownBy(() -> loop.executeCritical(criticalRan::countDown));
        assertThat(criticalRan.getCount()).isEqualTo(1); // the loop is still blocked
        release.countDown();

        await(criticalRan);
    }

    @Test
    void schedule_runs_the_task_once_after_the_delay() throws Exception {
        start();
        AtomicInteger runs = new AtomicInteger();
        AtomicLong ranAt = new AtomicLong();
        CountDownLatch sentinel = new CountDownLatch(1);
        long scheduledAt = System.nanoTime();

        loop.schedule(Duration.ofMillis(40), () -> {
            ranAt.set(System.nanoTime());
            runs.incrementAndGet();
        });
        loop.schedule(Duration.ofMillis(120), sentinel::countDown);
        await(sentinel);

        assertThat(runs.get()).isEqualTo(1);
        assertThat(ranAt.get() - scheduledAt).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
    }

    @Test
    void cancel_before_the_deadline_prevents_the_task() throws Exception {
        start();
        AtomicBoolean ran = new AtomicBoolean();
        Cancellable timer = onLoop(() -> loop.schedule(Duration.ofMillis(30), () -> ran.set(true)));

        timer.cancel();
        letLoopTimePass(Duration.ofMillis(90));

        assertThat(ran).isFalse();
    }

    @Test
    void cancel_from_another_thread_before_the_loop_inserted_the_timer_is_honoured() throws Exception {
        start();
        CountDownLatch release = blockLoop(); // the insertion waits behind the blocked loop
        AtomicBoolean ran = new AtomicBoolean();
        Cancellable timer = loop.schedule(Duration.ZERO, () -> ran.set(true));

        timer.cancel();
        release.countDown();
        letLoopTimePass(Duration.ofMillis(50));

        assertThat(ran).isFalse();
    }

    @Test
    void schedule_at_fixed_rate_repeats_until_cancelled() throws Exception {
        start();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch threeRuns = new CountDownLatch(3);
        Cancellable timer = loop.scheduleAtFixedRate(Duration.ofMillis(5), Duration.ofMillis(5), () -> {
            runs.incrementAndGet();
            threeRuns.countDown();
        });
        await(threeRuns);

        timer.cancel();
        int runsAtCancel = onLoop(runs::get); // a run in progress during cancel() has finished by now
        letLoopTimePass(Duration.ofMillis(60));

        assertThat(runs.get()).isEqualTo(runsAtCancel);
    }

    @Test
    void a_periodic_task_may_cancel_itself() throws Exception {
        start();
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Cancellable> self = new AtomicReference<>();
        onLoop(() -> { // scheduled on the loop: the timer cannot fire before self is set
            self.set(loop.scheduleAtFixedRate(Duration.ofMillis(5), Duration.ofMillis(5), () -> {
                if (runs.incrementAndGet() == 2) {
                    self.get().cancel();
                }
            }));
            return null;
        });

        letLoopTimePass(Duration.ofMillis(80));

        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void schedule_at_fixed_rate_rejects_a_period_that_is_not_positive() {
        start();

        assertThatThrownBy(() -> loop.scheduleAtFixedRate(Duration.ZERO, Duration.ZERO, NOTHING))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void run_blocking_runs_off_the_loop_and_delivers_the_result_on_the_loop() throws Exception {
        start();
        AtomicReference<String> workThread = new AtomicReference<>();
        CompletableFuture<String> delivered = new CompletableFuture<>();

        loop.runBlocking(
                () -> {
                    workThread.set(Thread.currentThread().getName());
                    return 42;
                },
                (result, failure) -> delivered.complete(result + "/" + failure + "/" + loop.inLoop()));

        assertThat(delivered.get(AWAIT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo("42/null/true");
        assertThat(workThread.get()).startsWith(LOOP_NAME + "-worker-");
    }

    @Test
    void run_blocking_delivers_the_failure_on_the_loop() throws Exception {
        start();
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        AtomicBoolean deliveredOnLoop = new AtomicBoolean();
        AtomicReference<Object> result = new AtomicReference<>("unset");

        loop.runBlocking(
                () -> {
                    throw boom;
                },
                (value, error) -> {
                    result.set(value);
                    deliveredOnLoop.set(loop.inLoop());
                    failure.complete(error);
                });

        assertThat(failure.get(AWAIT_MILLIS, TimeUnit.MILLISECONDS)).isSameAs(boom);
        assertThat(result.get()).isNull();
        assertThat(deliveredOnLoop).isTrue();
    }

    @Test
    void run_blocking_with_a_full_worker_pool_delivers_overloaded_on_the_loop() throws Exception {
        start(new LoopConfig(16, 1, 1));
        CountDownLatch workerBusy = new CountDownLatch(1);
        CountDownLatch releaseWorker = released(new CountDownLatch(1));
        loop.runBlocking(
                () -> {
                    workerBusy.countDown();
                    return releaseWorker.await(AWAIT_MILLIS, TimeUnit.MILLISECONDS);
                },
                (result, failure) -> {});
        await(workerBusy);
        loop.runBlocking(() -> null, (result, failure) -> {}); // takes the pool queue's only slot
        AtomicBoolean refusedWorkRan = new AtomicBoolean();
        AtomicBoolean deliveredOnLoop = new AtomicBoolean();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();

        loop.runBlocking(
                () -> {
                    refusedWorkRan.set(true);
                    return null;
                },
                (result, error) -> {
                    deliveredOnLoop.set(loop.inLoop());
                    failure.complete(error);
                });

        assertThat(failure.get(AWAIT_MILLIS, TimeUnit.MILLISECONDS)).isInstanceOf(LoopOverloadedException.class);
        assertThat(deliveredOnLoop).isTrue();
        assertThat(refusedWorkRan).isFalse();
    }

    @Test
    void shutdown_runs_the_queued_tasks_then_stops_the_thread() throws Exception {
        start();
        CountDownLatch release = blockLoop();
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) { // more than the loop runs in one batch
            int n = i;
            loop.execute(() -> ran.add(n));
        }
        Thread stopper = new Thread(() -> loop.shutdown(Duration.ofSeconds(2)), "stopper");

        stopper.start();
        awaitTrue(() -> isRefused(loop)); // shutdown stops taking tasks before it waits for the thread
        release.countDown();
        stopper.join(AWAIT_MILLIS);

        assertThat(loop.isAlive()).isFalse();
        assertThat(ran).hasSize(3_000).isSorted(); // safe to read: the loop thread has ended
    }

    @Test
    void execute_after_shutdown_is_refused() {
        start();

        loop.shutdown(Duration.ofSeconds(2));

        assertThatThrownBy(() -> loop.execute(NOTHING)).isInstanceOf(LoopOverloadedException.class);
    }

    // ---- helpers

    /** Runs {@code action} on the loop and returns its value: also a barrier behind everything queued before. */
    private <T> T onLoop(Supplier<T> action) throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(AWAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Waits until a timer {@code delay} from now has fired on the loop (the loop's clock, not a sleep). */
    private void letLoopTimePass(Duration delay) throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        loop.schedule(delay, fired::countDown);
        await(fired);
    }

    /** Parks the loop thread in a task until the returned latch is released (released anyway after the test). */
    private CountDownLatch blockLoop() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = released(new CountDownLatch(1));
        loop.execute(() -> {
            started.countDown();
            try {
                release.await(AWAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await(started);
        return release;
    }

    private CountDownLatch released(CountDownLatch latch) {
        toRelease.add(latch);
        return latch;
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(AWAIT_MILLIS, TimeUnit.MILLISECONDS)).as("waited for the loop").isTrue();
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AWAIT_MILLIS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited for the condition").isNegative();
            Thread.onSpinWait();
        }
    }

    private static boolean isRefused(ThreadEventLoop loop) {
        try {
            loop.execute(NOTHING);
            return false;
        } catch (LoopOverloadedException e) {
            return true;
        }
    }
}
