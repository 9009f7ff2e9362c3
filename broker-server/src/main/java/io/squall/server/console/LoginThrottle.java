package io.squall.server.console;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Limits password guesses on the console's login: {@link #BURST} failed logins, then one more per
 * {@link #REFILL}, counted over every address together (the private port is not reachable by many people, and a
 * per-address count is defeated by a guesser with many addresses). While it is exhausted every login, right or
 * wrong, is answered 429 with the wait, so a guess learns nothing.
 */
final class LoginThrottle {
    static final int BURST = 10;
    static final Duration REFILL = Duration.ofSeconds(6);

    private final LongSupplier nanoTime;
    private double tokens = BURST;
    private long lastNanos;

    LoginThrottle(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.lastNanos = nanoTime.getAsLong();
    }

    /** 0 when a login may be tried now, else the seconds to wait. */
    synchronized long waitSeconds() {
        refill();
        if (tokens >= 1) {
            return 0;
        }
        double missing = 1 - tokens;
        return (long) Math.ceil(missing * REFILL.toNanos() / 1e9);
    }

    /** A wrong password was given. */
    synchronized void failed() {
        refill();
        tokens = Math.max(0, tokens - 1);
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(BURST, tokens + (double) (now - lastNanos) / REFILL.toNanos());
        lastNanos = now;
    }
}
