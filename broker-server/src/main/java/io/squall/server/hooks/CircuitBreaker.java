package io.squall.server.hooks;

/**
 * One proxy's circuit breaker, on the loop: after {@code failures} consecutive failures it opens and refuses every
 * call for {@code cooldownNanos}; then it lets one probe call through (half open) and refuses the rest until the
 * probe's outcome is known: a success closes it, a failure opens it for another cool-down.
 */
final class CircuitBreaker {
    enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failures;
    private final long cooldownNanos;
    private int consecutiveFailures;
    private State state = State.CLOSED;
    private long openedAt;
    private boolean probing;

    CircuitBreaker(int failures, long cooldownNanos) {
        this.failures = failures;
        this.cooldownNanos = cooldownNanos;
    }

    /** Whether a call may go to the application now; a true answer in half-open state makes it the probe. */
    boolean allows(long nowNanos) {
        if (state == State.OPEN && nowNanos - openedAt >= cooldownNanos) {
            state = State.HALF_OPEN;
            probing = false;
        }
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> {
                if (probing) {
                    yield false;
                }
                probing = true;
                yield true;
            }
        };
    }

    void succeeded() {
        consecutiveFailures = 0;
        state = State.CLOSED;
        probing = false;
    }

    void failed(long nowNanos) {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= failures) {
            state = State.OPEN;
            openedAt = nowNanos;
            probing = false;
        }
    }

    State state() {
        return state;
    }
}
