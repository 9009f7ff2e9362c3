package io.squall.api;

import java.util.concurrent.RejectedExecutionException;

/**
 * A bounded queue was full: the loop's (for {@link Loop#runSoon} from another thread) or a worker pool's; the work
 * did not run. A {@link Call} completed with it answers {@code "Overloaded"}.
 */
public class OverloadedException extends RejectedExecutionException {
    private static final long serialVersionUID = 1L;

    public OverloadedException(String message) {
        super(message);
    }
}
