package io.squall.server.testing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.search.Search;
import java.time.Duration;
import java.util.function.DoublePredicate;

/** Reads a running broker's counters (its own Micrometer registry, so tests never see each other's counts). */
public final class BrokerMeters {
    private BrokerMeters() {}

    /**
     * The sum of every counter named {@code name} whose tags include {@code tags} (key, value, key, value...);
     * 0 when none is registered yet.
     */
    public static double counter(TestBroker broker, String name, String... tags) {
        if (tags.length % 2 != 0) {
            throw new IllegalArgumentException("tags come in key/value pairs");
        }
        Search search = broker.server().meters().find(name);
        for (int i = 0; i < tags.length; i += 2) {
            search = search.tag(tags[i], tags[i + 1]);
        }
        return search.counters().stream().mapToDouble(Counter::count).sum()
                + search.functionCounters().stream().mapToDouble(FunctionCounter::count).sum();
    }

    /** Waits (polling, up to {@code wait}) until the counter satisfies {@code condition}; returns its value. */
    public static double awaitCounter(TestBroker broker, Duration wait, DoublePredicate condition, String name,
            String... tags) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            double value = counter(broker, name, tags);
            if (condition.test(value)) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name + " is still " + value + " after " + wait);
            }
            TestBroker.sleep(10);
        }
    }
}
