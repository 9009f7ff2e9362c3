package io.squall.snap;

import io.squall.api.Loop;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Hands tasks from another thread (the serial writer's) to the loop, in order and never refused, however full the
 * loop's queue: one signal folds whatever waits into one run. What waits is bounded by its source (at most
 * {@code snap.send.queue} frames are ever queued for the writer).
 */
final class LoopRelay {
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final Runnable signal;

    LoopRelay(Loop loop) {
        this.signal = loop.newSignal(this::runWaiting);
    }

    /** Runs {@code task} on the loop soon. Any thread. */
    void run(Runnable task) {
        waiting.add(task);
        signal.run();
    }

    private void runWaiting() {
        for (Runnable task = waiting.poll(); task != null; task = waiting.poll()) {
            task.run();
        }
    }
}
