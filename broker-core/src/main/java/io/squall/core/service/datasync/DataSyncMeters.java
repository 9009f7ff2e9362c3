package io.squall.core.service.datasync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

/**
 * DataSync's meters, tagged by service name only: tokens that expired unacquired, subscriptions dropped because
 * their buffer overflowed, and the subscriptions pending and acquired now. The gauges read plain fields the loop
 * writes; a scrape may see a value a moment old, which is all a gauge promises.
 */
final class DataSyncMeters {
    final Counter expired;
    final Counter overflowed;

    DataSyncMeters(MeterRegistry registry, String service, IntSupplier pending, IntSupplier acquired) {
        expired = Counter.builder("broker.datasync.tokens.expired").tag("service", service)
                .description("Authorized subscriptions dropped because nobody acquired them in time")
                .register(registry);
        overflowed = Counter.builder("broker.datasync.buffer.overflows").tag("service", service)
                .description("Unacquired subscriptions dropped because their delta buffer overflowed")
                .register(registry);
        Gauge.builder("broker.datasync.subscriptions", pending, IntSupplier::getAsInt).tags("service", service,
                "state", "pending").strongReference(true).register(registry);
        Gauge.builder("broker.datasync.subscriptions", acquired, IntSupplier::getAsInt).tags("service", service,
                "state", "acquired").strongReference(true).register(registry);
    }
}
