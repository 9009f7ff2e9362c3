package io.squall.server.hooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.squall.core.metrics.LatencyHistogram;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One proxy's meters: {@code broker.proxy.calls{proxy,outcome}}, {@code broker.proxy.request.duration{proxy}} (the
 * calls that reached the application, retries included, as a Prometheus histogram like
 * {@code broker.backend.request.duration}), {@code broker.proxy.in.flight{proxy}} and
 * {@code broker.proxy.breaker.open{proxy}}. Every series exists from the start, so dashboards see zeros.
 */
final class ProxyMeters {
    /** How a call ended: the {@code outcome} label. */
    enum Outcome {
        /** the application answered {@code result} */
        RESULT,
        /** it answered {@code error} */
        REFUSED,
        /** it answered {@code disconnect} */
        DISCONNECT,
        /** no answer before the proxy's deadline */
        TIMEOUT,
        /** connection refused or broken, or a status other than 200 */
        UNAVAILABLE,
        /** 200 with a body that breaks the contract (not JSON, both result and error, wrong types) */
        BAD_ANSWER,
        /** refused at once: {@code proxy.max.concurrency} calls in flight */
        OVERLOADED,
        /** refused at once: the breaker is open */
        BREAKER_OPEN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Map<Outcome, Counter> calls = new EnumMap<>(Outcome.class);
    private final Timer duration;

    ProxyMeters(MeterRegistry meters, ProxyKind kind, Supplier<Number> inFlight, Supplier<Number> breakerOpen) {
        for (Outcome outcome : Outcome.values()) {
            calls.put(outcome, Counter.builder("broker.proxy.calls")
                    .description("Proxy calls to the application by proxy and outcome")
                    .tag("proxy", kind.wireName()).tag("outcome", outcome.label()).register(meters));
        }
        this.duration = LatencyHistogram.of(Timer.builder("broker.proxy.request.duration")
                .description("Proxy calls that reached the application, from the request sent to its answer read")
                .tag("proxy", kind.wireName())).register(meters);
        Gauge.builder("broker.proxy.in.flight", inFlight).description("Proxy calls waiting for the application")
                .tag("proxy", kind.wireName()).register(meters);
        Gauge.builder("broker.proxy.breaker.open", breakerOpen)
                .description("1 while the proxy's circuit breaker refuses calls (open or probing), else 0")
                .tag("proxy", kind.wireName()).register(meters);
    }

    void count(Outcome outcome) {
        calls.get(outcome).increment();
    }

    void took(long nanos) {
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }
}
