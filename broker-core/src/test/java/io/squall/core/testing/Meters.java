package io.squall.core.testing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Reads meters back in assertions. */
public final class Meters {
    private Meters() {}

    /** The count of counter {@code name} with the given tag key/value pairs, or 0 when it was never registered. */
    public static double count(MeterRegistry registry, String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
