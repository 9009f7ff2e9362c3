package io.squall.server.abuse;

/**
 * One way to abuse the broker. A fresh instance per run: {@link #run} attacks until the deadline and returns still
 * holding what it opened (so the heap it costs the broker can be measured), {@link #release} lets go of it all.
 * An attack never fails because the broker fails: it counts what happened and returns.
 */
interface Attack {
    String name();

    /** The broker's descriptor limit for this attack ({@code ulimit -n}), 0 for the harness's own. */
    default int descriptorLimit() {
        return 0;
    }

    void run(AbuseTarget target, long deadlineNanos, Counts counts) throws InterruptedException;

    void release(Counts counts);

    static boolean before(long deadlineNanos) {
        return System.nanoTime() - deadlineNanos < 0;
    }
}
