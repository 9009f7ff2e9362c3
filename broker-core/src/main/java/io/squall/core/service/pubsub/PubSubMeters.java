package io.squall.core.service.pubsub;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.squall.core.metrics.LatencyHistogram;

/** PubSub's meters ({@code broker.pubsub.*}). */
final class PubSubMeters {
    final Counter recovered;
    final Counter notRecovered;
    final Counter insufficientState;
    final Counter publishFailures;
    /** one sample per publication that reached at least one local subscriber */
    final Timer deliveryLatency;

    PubSubMeters(String service, MeterRegistry meters) {
        this.recovered = Counter.builder("broker.pubsub.recoveries").tag("recovered", "yes")
                .description("Subscriptions with since: recovered (every missed publication) or not (none)")
                .register(meters);
        this.notRecovered = Counter.builder("broker.pubsub.recoveries").tag("recovered", "no").register(meters);
        this.insufficientState = Counter.builder("broker.pubsub.insufficient.state")
                .description("Positioned subscriptions ended because their stream jumped (told to resubscribe)")
                .register(meters);
        this.publishFailures = Counter.builder("broker.pubsub.publish.failures")
                .description("In-process publications the broker refused (engine unavailable), each logged")
                .register(meters);
        this.deliveryLatency = LatencyHistogram.of(Timer.builder("broker.pubsub.delivery.latency")
                .description("From a publication entering the broker (on any node) to its frame handed to the write"
                        + " path of this node's last local subscriber; the Redis hop included, to the millisecond")
                .tag("service", service))
                .register(meters);
    }
}
