package io.squall.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.api.OverloadedException;
import io.squall.api.PeriodicCallback;
import io.squall.api.WorkerPool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.squall.core.loop.LoopConfig;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.loop.ThreadEventLoop;
import io.squall.core.testing.ServiceContexts;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop patterns over the manual loop; a service's own pool uses real threads, so results are pumped. */
class ApiLoopTest {
    private final ManualEventLoop manual = new ManualEventLoop();
    private final ApiLoop loop = new ApiLoop(manual, InstantSource.fixed(ServiceContexts.NOW), "test");

    @AfterEach
    void stop() {
        loop.stop();
    }

    /** Runs the loop's queue until {@code done}, for results coming back from real worker threads. */
    private void pumpUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not done within 20 s");
            }
            manual.runPending();
            manual.advance(Duration.ofMillis(100));
            Thread.sleep(1);
        }
    }

    @Test
    void runSoonRunsAfterTheCurrentTaskNotInsideIt() {
        List<String> order = new ArrayList<>();
        manual.execute(() -> {
            loop.runSoon(() -> order.add("soon"));
            order.add("current");
        });
        manual.advance(Duration.ZERO);
        assertThat(order).containsExactly("current", "soon");
    }

    @Test
    void aPeriodicCallbackRunsUntilStopped() {
        AtomicInteger runs = new AtomicInteger();
        PeriodicCallback callback = loop.runPeriodically(Duration.ofSeconds(1), runs::incrementAndGet);
        manual.advance(Duration.ofMillis(3500));
        assertThat(runs).hasValue(3);
        callback.stop();
        manual.advance(Duration.ofSeconds(10));
        assertThat(runs).hasValue(3);
        assertThat(callback.isRunning()).isFalse();
    }

    @Test
    void aFullPoolRefusesAtOnceWithOverloaded() throws InterruptedException {
        WorkerPool pool = loop.newWorkerPool("one", 1, 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        List<Object> results = new ArrayList<>();
        pool.run(() -> {
            started.countDown();
            release.await();
            return "first";
        }, (result, failure) -> results.add(result));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        pool.run(() -> "queued", (result, failure) -> results.add(result));
        pool.run(() -> "refused", (result, failure) -> results.add(failure));
        assertThat(results).singleElement().isInstanceOf(OverloadedException.class);
        release.countDown();
        pumpUntil(() -> results.size() == 3);
        assertThat(results.subList(1, 3)).containsExactly("first", "queued");
    }

    @Test
    void refreshForeverReadsOneAtATimeAndStopsCleanly() throws InterruptedException {
        WorkerPool pool = loop.newWorkerPool("device", 2, 4);
        AtomicInteger inProgress = new AtomicInteger();
        AtomicInteger maxInProgress = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        List<Integer> delivered = new ArrayList<>();
        PeriodicCallback refresh = loop.refreshForever(pool, () -> {
            maxInProgress.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
            Thread.sleep(2);
            inProgress.decrementAndGet();
            return reads.incrementAndGet();
        }, Duration.ZERO, (reading, failure) -> delivered.add(reading));
        pumpUntil(() -> delivered.size() >= 5);
        assertThat(delivered).startsWith(1, 2, 3, 4, 5);
        assertThat(maxInProgress).hasValue(1);
        refresh.stop();
        int atStop = reads.get();
        pumpUntil(() -> inProgress.get() == 0);
        manual.advance(Duration.ofSeconds(1));
        assertThat(reads.get()).isBetween(atStop, atStop + 1); // the read in progress may end; none starts
        assertThat(delivered).hasSizeLessThanOrEqualTo(atStop);
    }

    @Test
    void aFailedReadIsDeliveredAndTheRefreshGoesOnAfterAPause() throws InterruptedException {
        WorkerPool pool = loop.newWorkerPool("flaky", 1, 1);
        AtomicInteger attempts = new AtomicInteger();
        List<String> seen = new ArrayList<>();
        loop.refreshForever(pool, () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("device offline");
            }
            return "ok";
        }, Duration.ZERO, (result, failure) -> seen.add(failure != null ? failure.getMessage() : result));
        pumpUntil(() -> seen.size() >= 2);
        assertThat(seen).startsWith("device offline", "ok");
    }

    @Test
    void shutdownInterruptsAServicesPoolAndDropsWhatItStillDelivers() throws InterruptedException {
        WorkerPool pool = loop.newWorkerPool("busy", 1, 1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        List<Object> late = new ArrayList<>();
        pool.run(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return "never";
        }, (result, failure) -> late.add(failure));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        loop.stop();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(50); // let the worker hand its failure over
        manual.runPending();
        assertThat(late).isEmpty();
    }

    @Test
    void shutdownStopsEverythingAndDropsLateResults() {
        AtomicInteger ticks = new AtomicInteger();
        List<Object> late = new ArrayList<>();
        PeriodicCallback ticker = loop.runPeriodically(Duration.ofSeconds(1), ticks::incrementAndGet);
        loop.runLater(Duration.ofSeconds(5), ticks::incrementAndGet);
        loop.runOnExecutor(() -> "late", (result, failure) -> late.add(result));
        loop.stop();
        manual.advance(Duration.ofMinutes(1));
        assertThat(ticks).hasValue(0);
        assertThat(late).isEmpty();
        assertThat(ticker.isRunning()).isFalse();
    }

    @Test
    void raisesOfASignalWhileItsRunIsQueuedFoldIntoOneAndARaiseDuringTheRunQueuesTheNext() {
        AtomicInteger runs = new AtomicInteger();
        Runnable[] signal = new Runnable[1];
        signal[0] = loop.newSignal(() -> {
            if (runs.incrementAndGet() == 1) {
                signal[0].run(); // raised while running: must not be missed
            }
        });

        signal[0].run();
        signal[0].run();
        signal[0].run();
        manual.runPending();

        assertThat(runs).as("three raises, one run, and the raise during it one more").hasValue(2);
    }

    @Test
    void aSignalIsNeverRefusedByAFullQueueAndDoesNothingOnceStopped() {
        manual.withCapacity(1);
        manual.submitFromOutside(() -> { });
        assertThatThrownBy(() -> manual.submitFromOutside(() -> { })).isInstanceOf(RuntimeException.class);
        AtomicInteger runs = new AtomicInteger();
        Runnable signal = loop.newSignal(runs::incrementAndGet);

        signal.run();
        manual.runPending();
        assertThat(runs).hasValue(1);

        signal.run();
        loop.stop();
        manual.runPending();
        signal.run();
        manual.runPending();
        assertThat(runs).as("a run queued before the stop, and raises after it, do nothing").hasValue(1);
    }

    @Test
    void signalsRaisedFromManyThreadsAreAllSeenByARunOnTheLoop() throws Exception {
        try (ThreadEventLoop real = new ThreadEventLoop("signals", LoopConfig.defaults(), new SimpleMeterRegistry())) {
            ApiLoop on = new ApiLoop(real, InstantSource.fixed(ServiceContexts.NOW), "test");
            AtomicInteger raised = new AtomicInteger();
            AtomicInteger seen = new AtomicInteger();
            AtomicInteger runs = new AtomicInteger();
            Runnable signal = on.newSignal(() -> {
                runs.incrementAndGet();
                seen.set(raised.get());
            });
            int threads = 4;
            int each = 20_000;
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < each; i++) {
                        raised.incrementAndGet();
                        signal.run();
                    }
                    done.countDown();
                });
            }
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (seen.get() != threads * each && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            assertThat(seen).as("the last raise was seen by a run after it").hasValue(threads * each);
            assertThat(runs.get()).as("raises folded together").isLessThan(threads * each);
        }
    }

    @Test
    void theClocksAreTheLoops() {
        assertThat(loop.now()).isEqualTo(ServiceContexts.NOW);
        long before = loop.nanoTime();
        manual.advance(Duration.ofSeconds(3));
        assertThat(loop.nanoTime() - before).isEqualTo(Duration.ofSeconds(3).toNanos());
    }

    @Test
    void checkInLoopCatchesACallFromAnotherThread() {
        try (ThreadEventLoop other = new ThreadEventLoop("other", LoopConfig.defaults(), new SimpleMeterRegistry())) {
            ApiLoop offLoop = new ApiLoop(other, InstantSource.fixed(ServiceContexts.NOW), "test");
            assertThatThrownBy(offLoop::checkInLoop).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not on the event loop");
            assertThatThrownBy(() -> offLoop.runPeriodically(Duration.ofSeconds(1), () -> { }))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
