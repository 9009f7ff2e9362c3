package io.squall.server.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.squall.core.ServiceRegistry;
import io.squall.core.metrics.LatencyHistogram;
import io.squall.core.protocol.Decoded;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code broker.backend.request.duration}: backend HTTP requests ({@code POST /backend}) from their body read to
 * their response handed to the IO thread, by the service of their one envelope, {@code batch} for an array of
 * envelopes, or {@code unknown} for a service the private registry does not have (so a backend cannot create series).
 * Loop thread only.
 */
final class BackendMeters {
    static final String BATCH = "batch";
    static final String UNKNOWN = "unknown";

    private final MeterRegistry meters;
    private final ServiceRegistry registry;
    private final Map<String, Timer> byService = new HashMap<>();

    BackendMeters(MeterRegistry meters, ServiceRegistry registry) {
        this.meters = meters;
        this.registry = registry;
    }

    /** The label of a request of {@code envelopes}. */
    String label(boolean batch, List<Decoded> envelopes) {
        if (batch) {
            return BATCH;
        }
        if (envelopes.get(0) instanceof Decoded.Ok ok && registry.service(ok.envelope().service()).isPresent()) {
            return ok.envelope().service();
        }
        return UNKNOWN;
    }

    void record(String label, long startNanos) {
        byService.computeIfAbsent(label, service -> LatencyHistogram.of(Timer.builder("broker.backend.request.duration")
                .description("Backend HTTP requests (POST /backend), from the body read to the response, by the"
                        + " service of their envelope (batch: an array; unknown: no such service)")
                .tag("service", service))
                .register(meters))
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
