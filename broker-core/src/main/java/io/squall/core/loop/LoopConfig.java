package io.squall.core.loop;

/**
 * Sizes of the event loop's queues.
 *
 * @param queueCapacity tasks waiting for the loop before {@code execute} answers "Overloaded" (default 65536)
 * @param workerThreads threads for blocking work handed off with {@code runBlocking} (default 4)
 * @param workerQueueCapacity blocking jobs waiting for a worker before they are refused (default 1024)
 */
public record LoopConfig(int queueCapacity, int workerThreads, int workerQueueCapacity) {
    public LoopConfig {
        if (queueCapacity < 1 || workerThreads < 1 || workerQueueCapacity < 1) {
            throw new IllegalArgumentException("loop sizes must be positive: " + queueCapacity + ", " + workerThreads
                    + ", " + workerQueueCapacity);
        }
    }

    public static LoopConfig defaults() {
        return new LoopConfig(65_536, 4, 1024);
    }
}
