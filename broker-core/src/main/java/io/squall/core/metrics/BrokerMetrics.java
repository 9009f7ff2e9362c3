package io.squall.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's counters, keyed only by bounded values (service names, error names, transports): never by channel,
 * client or identity. Meters are looked up once and cached, so the hot path pays a map lookup at most.
 */
public final class BrokerMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> messagesIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> messagesOut = new ConcurrentHashMap<>();
    private final Map<String, Counter> rpcErrors = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejectedFrames = new ConcurrentHashMap<>();

    public BrokerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Messages received for {@code service}. */
    public Counter messagesIn(String service) {
        return messagesIn.computeIfAbsent(service, s -> Counter.builder("broker.messages.in")
                .description("Messages received, by service")
                .tag("service", s)
                .register(registry));
    }

    /** Messages sent by {@code service} (one per recipient: a publish to 1000 subscribers counts 1000). */
    public Counter messagesOut(String service) {
        return messagesOut.computeIfAbsent(service, s -> Counter.builder("broker.messages.out")
                .description("Messages sent, by service; a publication counts once per recipient")
                .tag("service", s)
                .register(registry));
    }

    /** Messages received so far by every service sharing this registry (what a node reports as its traffic). */
    public long messagesInTotal() {
        return total("broker.messages.in");
    }

    /** Messages sent so far by every service sharing this registry, one per recipient. */
    public long messagesOutTotal() {
        return total("broker.messages.out");
    }

    private long total(String meter) {
        double sum = 0;
        for (Counter counter : registry.find(meter).counters()) {
            sum += counter.count();
        }
        return (long) sum;
    }

    /** Error replies, by service and by the error's wire name. */
    public Counter rpcErrors(String service, String error) {
        return rpcErrors.computeIfAbsent(service + '\u0000' + error, key -> Counter.builder("broker.rpc.errors")
                .description("Error replies, by service and error name")
                .tag("service", service)
                .tag("error", error)
                .register(registry));
    }

    /** Frames refused before reaching a service (bad JSON, bad envelope, unknown service), by error. */
    public Counter rejectedFrames(String error) {
        return rejectedFrames.computeIfAbsent(error, e -> Counter.builder("broker.frames.rejected")
                .description("Frames answered with an envelope-level error, by error name")
                .tag("error", e)
                .register(registry));
    }
}
