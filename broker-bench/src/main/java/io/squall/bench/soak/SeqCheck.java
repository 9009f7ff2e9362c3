package io.squall.bench.soak;

/**
 * The sequence numbers one receiver got on one stream (a channel, or a SNAP node on a channel), checked as they
 * arrive: each must be the next one. A number above the next counts the skipped ones as lost; one below it (a
 * repeat or a late arrival) counts as out of order. Written by one thread (a connection's loop); its
 * fields are volatile so that the run's end can read them from another.
 */
final class SeqCheck {
    private volatile long next;
    private volatile long received;
    private volatile long gaps;
    private volatile long outOfOrder;

    /** @param first the first number this receiver must get (-1: whatever comes first, for churn clients) */
    SeqCheck(long first) {
        this.next = first;
    }

    void accept(long seq) {
        received++;
        if (next < 0) {
            next = seq + 1;
        } else if (seq == next) {
            next++;
        } else if (seq > next) {
            gaps += seq - next;
            next = seq + 1;
        } else {
            outOfOrder++;
        }
    }

    long received() {
        return received;
    }

    /** Numbers skipped so far. */
    long gaps() {
        return gaps;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    /** The next number expected (-1 before the first, for a receiver that starts anywhere). */
    long next() {
        return next;
    }

    /** Numbers below {@code end} (exclusive) never received: the gaps plus the missing tail. */
    long lostBefore(long end) {
        return gaps + Math.max(0, end - Math.max(next, 0));
    }
}
