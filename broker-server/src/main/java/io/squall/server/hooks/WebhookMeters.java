package io.squall.server.hooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.squall.core.metrics.LatencyHistogram;

/** The webhooks' meters ({@code broker.webhooks.*}, docs/metrics.md). Thread-safe. */
final class WebhookMeters {
    final Counter enqueued;
    final Counter delivered;
    final Counter retried;
    final Counter dropped;
    final Counter failedPosts;
    final Timer latency;

    WebhookMeters(MeterRegistry registry) {
        enqueued = Counter.builder("broker.webhooks.events.enqueued")
                .description("Lifecycle events queued for the application").register(registry);
        delivered = Counter.builder("broker.webhooks.events.delivered")
                .description("Lifecycle events the application acknowledged (2xx)").register(registry);
        retried = Counter.builder("broker.webhooks.events.retried")
                .description("Lifecycle events sent again after a failed POST (once per event per retry)")
                .register(registry);
        dropped = Counter.builder("broker.webhooks.events.dropped")
                .description("Lifecycle events dropped because the webhook queue was full (webhooks.queue.size)")
                .register(registry);
        failedPosts = Counter.builder("broker.webhooks.posts.failed")
                .description("Webhook POSTs that failed: non-2xx, timeout, connection refused").register(registry);
        latency = LatencyHistogram.of(Timer.builder("broker.webhooks.delivery.latency")
                .description("From an event queued to the application's acknowledgement of its batch"))
                .register(registry);
    }
}
