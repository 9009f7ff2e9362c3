package io.squall.server.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.squall.core.json.Json;
import io.squall.server.config.WebhookConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers lifecycle events to the application, at least once and in the order they were queued: one bounded
 * queue, one batch in flight at a time (oldest events first), the same batch (same ids, same bytes) sent again after
 * any failure with exponential backoff and jitter until the application answers 2xx. The event loop only
 * {@link #offer}s; everything else runs on the sender's own thread and the HTTP client's, so a slow or absent
 * application never slows a client. A full queue drops the new event and counts it (a metric, a WARN line at most
 * every {@link #DROP_LOG_INTERVAL}, {@code /health} details): never a silent loss.
 */
final class WebhookSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    static final Duration DROP_LOG_INTERVAL = Duration.ofSeconds(10);

    private final WebhookConfig config;
    private final String node;
    private final HookSignature signature;
    private final WebhookMeters meters;
    private final HttpClient http;
    private final ArrayBlockingQueue<WebhookEvent> queue;
    private final ScheduledExecutorService thread;
    private final Consumer<List<WebhookEvent>> onDelivered;
    private boolean owner;
    private final AtomicBoolean woken = new AtomicBoolean();
    private final AtomicLong droppedTotal = new AtomicLong();
    private final AtomicLong droppedUnlogged = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL.toNanos());
    // sender thread only
    private List<WebhookEvent> batch;
    private byte[] body;
    private int failures;
    private boolean busy;
    private volatile int inBatch;
    private volatile boolean failing;
    private volatile boolean closed;

    /** This node's own events: a thread and an HTTP client of its own, {@code webhooks.queue.size} events. */
    WebhookSender(WebhookConfig config, String node, MeterRegistry registry) {
        this(config, node, new WebhookMeters(registry), newThread(), HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(config.timeout()).build(), config.queueSize(),
                delivered -> { });
        this.owner = true;
        Gauge.builder("broker.webhooks.queue.depth", this, WebhookSender::depth)
                .description("Lifecycle events queued or in the batch being delivered").register(registry);
    }

    /**
     * A sender sharing {@code main}'s thread and HTTP client (a partition of the cluster's occupancy changes);
     * {@code onDelivered} is told each acknowledged batch, on the sender's thread.
     */
    WebhookSender(WebhookSender main, int capacity, Consumer<List<WebhookEvent>> onDelivered) {
        this(main.config, main.node, main.meters, main.thread, main.http, capacity, onDelivered);
    }

    private WebhookSender(WebhookConfig config, String node, WebhookMeters meters, ScheduledExecutorService thread,
            HttpClient http, int capacity, Consumer<List<WebhookEvent>> onDelivered) {
        this.config = config;
        this.node = node;
        this.signature = new HookSignature(config.secret());
        this.meters = meters;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = thread;
        this.http = http;
        this.onDelivered = onDelivered;
    }

    private static ScheduledExecutorService newThread() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "squall-webhooks");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Room for {@code n} more events. */
    boolean hasRoom(int n) {
        return queue.remainingCapacity() >= n;
    }

    /** Any thread (the loop): queues {@code event}, or drops and counts it when the queue is full. Never blocks. */
    boolean offer(WebhookEvent event) {
        if (!queue.offer(event)) {
            drop();
            return false;
        }
        meters.enqueued.increment();
        if (woken.compareAndSet(false, true)) {
            try {
                thread.execute(this::pump);
            } catch (RejectedExecutionException e) {
                // stopped: the event stays queued and is counted in the "not delivered" line of close()
            }
        }
        return true;
    }

    private void drop() {
        meters.dropped.increment();
        droppedTotal.incrementAndGet();
        long unlogged = droppedUnlogged.incrementAndGet();
        long last = lastDropLog.get();
        long now = System.nanoTime();
        if (now - last >= DROP_LOG_INTERVAL.toNanos() && lastDropLog.compareAndSet(last, now)) {
            droppedUnlogged.addAndGet(-unlogged);
            log.warn("webhooks: the queue is full ({} events: webhooks.queue.size); {} event(s) dropped since the last"
                    + " such line, {} in all (broker_webhooks_events_dropped_total)", config.queueSize(), unlogged,
                    droppedTotal.get());
        }
    }

    /** Sender thread: starts the next batch unless one is in flight or waiting for its retry. */
    private void pump() {
        woken.set(false);
        if (busy || closed) {
            return;
        }
        if (batch == null) {
            List<WebhookEvent> next = new ArrayList<>(Math.min(config.batchSize(), queue.size()));
            queue.drainTo(next, config.batchSize());
            if (next.isEmpty()) {
                return;
            }
            batch = next;
            inBatch = next.size();
            body = encode(next);
            failures = 0;
        }
        send();
    }

    private static byte[] encode(List<WebhookEvent> events) {
        ObjectNode root = Json.mapper().createObjectNode();
        ArrayNode array = root.putArray("events");
        for (WebhookEvent event : events) {
            array.add(event.toJson());
        }
        try {
            return Json.mapper().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event tree always writes", e);
        }
    }

    private void send() {
        busy = true;
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(config.url()).timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header(HookSignature.HEADER, signature.sign(body))
                    .header("X-Squall-Hook", "webhook")
                    .header("X-Squall-Node", node)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        } catch (IllegalArgumentException e) {
            answered(-1, e); // a node id no header may carry: fails like an unreachable application
            return;
        }
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            int status = response == null ? -1 : response.statusCode();
            try {
                thread.execute(() -> answered(status, failure));
            } catch (RejectedExecutionException e) {
                // closed meanwhile: the batch is not acknowledged, and is lost with the node (logged on close)
            }
        });
    }

    /** Sender thread: a 2xx acknowledges the whole batch; anything else sends it again later. */
    private void answered(int status, Throwable failure) {
        if (failure == null && status >= 200 && status < 300) {
            long now = System.nanoTime();
            for (WebhookEvent event : batch) {
                meters.latency.record(now - event.enqueuedNanos(), TimeUnit.NANOSECONDS);
            }
            meters.delivered.increment(batch.size());
            onDelivered.accept(batch);
            if (failing) {
                log.info("webhooks: {} takes events again after {} failed attempt(s)", config.url(), failures);
            }
            failing = false;
            batch = null;
            body = null;
            inBatch = 0;
            busy = false;
            pump();
            return;
        }
        failures++;
        meters.failedPosts.increment();
        meters.retried.increment(batch.size());
        long delay = backoffMillis(failures);
        if (Integer.bitCount(failures) == 1) { // the first failure, then at 2, 4, 8... attempts
            log.warn("webhooks: POST to {} failed ({}); {} event(s) sent again in {} ms (attempt {})", config.url(),
                    failure != null ? failure.toString() : "HTTP " + status, batch.size(), delay, failures + 1);
        }
        failing = true;
        try {
            thread.schedule(this::send, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopped meanwhile
        }
    }

    /** Exponential from retry.min, capped at retry.max, with "equal jitter": half fixed, half random. */
    long backoffMillis(int failures) {
        long min = config.retryMin().toMillis();
        long max = config.retryMax().toMillis();
        long exp = failures >= 31 ? max : Math.min(max, min << Math.min(30, failures - 1));
        long half = Math.max(1, exp / 2);
        return half + ThreadLocalRandom.current().nextLong(half + 1);
    }

    /** Events queued or in the batch being delivered. */
    int depth() {
        return queue.size() + inBatch;
    }

    long dropped() {
        return droppedTotal.get();
    }

    boolean failing() {
        return failing;
    }

    /**
     * Waits up to {@code grace} for what is queued to be delivered (the disconnects of a graceful stop), and for the
     * occupancy changes the engine has not answered yet ({@code undecided}), then stops; what is left is logged.
     */
    void close(Duration grace, java.util.function.IntSupplier undecided) {
        long deadline = System.nanoTime() + grace.toNanos();
        while ((depth() > 0 || undecided.getAsInt() > 0) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    @Override
    public void close() {
        closed = true;
        if (owner) {
            thread.shutdownNow();
            http.shutdownNow();
        }
        int left = depth();
        if (left > 0) {
            log.warn("webhooks: stopped with {} event(s) not delivered to {}", left, config.url());
        }
    }
}
