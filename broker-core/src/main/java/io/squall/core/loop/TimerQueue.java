package io.squall.core.loop;

import java.util.PriorityQueue;

/**
 * The loop's timers: a heap ordered by deadline, then by scheduling order. Loop thread only. Cancelled timers are
 * dropped lazily, and the heap is rebuilt once most of it is cancelled, so a flood of short-lived deadlines that
 * are nearly always cancelled (backend requests) does not grow it without bound.
 */
final class TimerQueue {
    private static final int PURGE_MIN_SIZE = 1024;

    private final PriorityQueue<ScheduledTask> heap = new PriorityQueue<>();
    private long sequence;
    private int cancelledInHeap;

    ScheduledTask add(long deadlineNanos, long periodNanos, Runnable task) {
        ScheduledTask timer = new ScheduledTask(this, deadlineNanos, periodNanos, sequence++, task);
        heap.add(timer);
        return timer;
    }

    void requeue(ScheduledTask timer, long deadlineNanos) {
        timer.deadlineNanos = deadlineNanos;
        timer.sequence = sequence++;
        heap.add(timer);
    }

    /** Removes and returns the earliest live timer due at {@code nowNanos}, or null. */
    ScheduledTask pollDue(long nowNanos) {
        while (!heap.isEmpty()) {
            ScheduledTask head = heap.peek();
            if (head.cancelled) {
                heap.poll();
                cancelledInHeap = Math.max(0, cancelledInHeap - 1);
                continue;
            }
            if (head.deadlineNanos - nowNanos > 0) {
                return null;
            }
            return heap.poll();
        }
        return null;
    }

    /** Nanoseconds until the next deadline, or -1 when there is none. */
    long nanosUntilNext(long nowNanos) {
        ScheduledTask head;
        while ((head = heap.peek()) != null && head.cancelled) {
            heap.poll();
            cancelledInHeap = Math.max(0, cancelledInHeap - 1);
        }
        return head == null ? -1 : Math.max(0, head.deadlineNanos - nowNanos);
    }

    void cancelledOnLoop() {
        cancelledInHeap++;
        if (heap.size() >= PURGE_MIN_SIZE && cancelledInHeap > heap.size() / 2) {
            heap.removeIf(timer -> timer.cancelled);
            cancelledInHeap = 0;
        }
    }

    int size() {
        return heap.size();
    }

    void clear() {
        heap.clear();
        cancelledInHeap = 0;
    }

    /** One timer; {@code periodNanos} is 0 for a one-shot. */
    static final class ScheduledTask implements Comparable<ScheduledTask>, Cancellable {
        private final TimerQueue owner;
        final long periodNanos;
        /** dropped on cancel, so a cancelled timer waiting in the heap holds nothing of what it would have run */
        private volatile Runnable task;
        long deadlineNanos;
        long sequence;
        volatile boolean cancelled;
        /** set by the loop that owns this timer, so cancel() knows whether it may touch the heap */
        volatile Thread loopThread;

        ScheduledTask(TimerQueue owner, long deadlineNanos, long periodNanos, long sequence, Runnable task) {
            this.owner = owner;
            this.deadlineNanos = deadlineNanos;
            this.periodNanos = periodNanos;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            task = null;
            if (Thread.currentThread() == loopThread) {
                owner.cancelledOnLoop();
            }
        }

        /** The task to run, or null once cancelled. */
        Runnable task() {
            return task;
        }

        /** A one-shot timer has run: it keeps nothing alive for whoever still holds it to cancel it. */
        void ran() {
            cancelled = true;
            task = null;
        }

        @Override
        public int compareTo(ScheduledTask other) {
            int byDeadline = Long.compare(deadlineNanos - other.deadlineNanos, 0);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }
}
