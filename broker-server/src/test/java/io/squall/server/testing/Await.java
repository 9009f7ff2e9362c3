package io.squall.server.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling instead of sleeps. */
public final class Await {
    private static final Duration DEFAULT = Duration.ofSeconds(30);

    private Await() {}

    /** Polls {@code condition} every 10 ms until it holds; fails after 30 s naming {@code what}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition);
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not true within " + timeout + ": " + what);
            }
            TestBroker.sleep(10);
        }
    }
}
