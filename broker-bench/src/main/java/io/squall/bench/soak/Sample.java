package io.squall.bench.soak;

/**
 * One reading of the broker process.
 *
 * @param seconds since the traffic started
 * @param heapBytes live heap after a full GC ({@code jcmd GC.class_histogram}), -1 if unread
 * @param fds open descriptors ({@code /proc/PID/fd}), -1 if unread
 * @param threads threads ({@code Threads:} of {@code /proc/PID/status}), -1 if unread
 * @param rssBytes resident memory, -1 if unread
 * @param healthMillis how long {@code /health} took to answer 200, -1 if it did not
 * @param clientConnections connections the soak itself had open to the broker at that moment
 */
record Sample(double seconds, long heapBytes, long fds, long threads, long rssBytes, double healthMillis,
        long clientConnections) {
    boolean complete() {
        return heapBytes >= 0 && fds >= 0 && threads >= 0;
    }
}
