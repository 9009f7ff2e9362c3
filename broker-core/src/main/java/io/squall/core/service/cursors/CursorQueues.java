package io.squall.core.service.cursors;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs each cursor's writes to the engine one after another (state entry, then event; the next change only once the
 * previous was published): separate Redis calls may complete out of order, and an older state published after a
 * newer one would be dropped as stale by every node, and a removal overtaken by an update would bring it back.
 */
final class CursorQueues {
    private final Map<Cursor, ArrayDeque<Consumer<Runnable>>> busy = new HashMap<>();

    /** Runs {@code step} after the cursor's earlier steps; the step calls its argument once, when it is done. */
    void run(Cursor cursor, Consumer<Runnable> step) {
        ArrayDeque<Consumer<Runnable>> queued = busy.get(cursor);
        if (queued != null) {
            queued.add(step);
            return;
        }
        busy.put(cursor, new ArrayDeque<>(2));
        start(cursor, step);
    }

    private void start(Cursor cursor, Consumer<Runnable> step) {
        boolean[] done = new boolean[1];
        step.accept(() -> {
            if (done[0]) {
                return;
            }
            done[0] = true;
            ArrayDeque<Consumer<Runnable>> queued = busy.get(cursor);
            Consumer<Runnable> next = queued == null ? null : queued.poll();
            if (next == null) {
                busy.remove(cursor);
            } else {
                start(cursor, next);
            }
        });
    }

    boolean busy(Cursor cursor) {
        return busy.containsKey(cursor);
    }

    int size() {
        return busy.size();
    }
}
