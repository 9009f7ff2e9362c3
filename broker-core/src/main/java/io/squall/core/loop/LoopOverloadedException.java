package io.squall.core.loop;

import java.util.concurrent.RejectedExecutionException;

/** The loop's bounded task queue is full. Transports answer with {@code "Overloaded"} and keep the connection. */
public final class LoopOverloadedException extends RejectedExecutionException {
    public LoopOverloadedException(String message) {
        super(message);
    }
}
