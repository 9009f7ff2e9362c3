package io.squall.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.json.Json;
import io.squall.redis.testing.RedisServer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The load a fault is injected under: one real Redis, Squall nodes as processes, subscribers spread over every node
 * and channel (recoverable, with history and presence), a backend publisher on every node at a steady rate, and a
 * prober asking every node that should answer for {@code /health/live} and {@code /health/ready} four times a
 * second. Afterwards it does the accounting: every acknowledged publication against every subscriber of its channel.
 */
final class UnderLoad implements AutoCloseable {
    /** One health probe: {@code live} and {@code ready} statuses (-1: no answer within 2 s), how long live took. */
    record Probe(long atMillis, int node, int live, long liveMillis, int ready) {}

    static final int CHANNELS = 8;

    final RedisServer redis;
    final List<NodeProcess> nodes = new ArrayList<>();
    final List<LoadSubscriber> subscribers = new ArrayList<>();
    final List<LoadPublisher> publishers = new ArrayList<>();
    final List<Probe> probes = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final AtomicInteger spread = new AtomicInteger();

    /** Short, so a dead or paused node's entries are gone soon (each node refreshes its own every third of it). */
    static final Duration PRESENCE_TTL = Duration.ofSeconds(3);

    /** Starts Redis and {@code nodeCount} nodes, connects {@code perNode} subscribers to each. */
    UnderLoad(int nodeCount, int perNode) {
        redis = RedisServer.start();
        try {
            connect(nodeCount, perNode);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void connect(int nodeCount, int perNode) {
        for (int n = 0; n < nodeCount; n++) {
            nodes.add(NodeProcess.start("node" + n, redis.uri(), "redis.command.timeout=1s",
                    "position.check.interval=1s", "presence.ttl=" + PRESENCE_TTL.toMillis() + "ms", "idempotency.ttl=10m",
                    "pubsub.channels=news:* size=2000 ttl=10m presence"));
        }
        nodes.forEach(NodeProcess::awaitReady);
        for (int i = 0; i < perNode * nodeCount; i++) {
            LoadSubscriber subscriber = new LoadSubscriber(i, LoadPublisher.channel((i / nodeCount) % CHANNELS),
                    i % nodeCount, nodes, this::failover, http, executor);
            subscriber.start();
            subscribers.add(subscriber);
        }
        executor.scheduleWithFixedDelay(this::probe, 0, 250, TimeUnit.MILLISECONDS);
    }

    /** Another node that is up, spreading the clients of a lost node over the others. */
    private int failover(int lost) {
        List<Integer> up = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            if (n != lost && nodes.get(n).up()) {
                up.add(n);
            }
        }
        return up.isEmpty() ? lost : up.get(Math.floorMod(spread.getAndIncrement(), up.size()));
    }

    private void probe() {
        for (int n = 0; n < nodes.size(); n++) {
            NodeProcess node = nodes.get(n);
            if (!node.up()) {
                continue;
            }
            long start = System.nanoTime();
            int live = node.health("/health/live");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            int ready = node.health("/health/ready");
            if (node.up()) { // a probe that raced a pause or a kill says nothing
                probes.add(new Probe(System.currentTimeMillis(), n, live, took, ready));
            }
        }
    }

    /** Starts a publisher on every node, {@code perSecond} publications each. */
    void publish(int perSecond) {
        for (int n = 0; n < nodes.size(); n++) {
            publishers.add(new LoadPublisher(n, nodes.get(n), CHANNELS, perSecond, http));
        }
        publishers.forEach(LoadPublisher::start);
    }

    /** Waits until every subscriber received live a publication sent at or after {@code sinceMillis}; returns when. */
    long awaitAllDelivering(long sinceMillis, Duration timeout) {
        await("every subscriber delivering again", timeout,
                () -> subscribers.stream().allMatch(s -> s.latestSent() >= sinceMillis));
        return System.currentTimeMillis();
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            NodeProcess.sleep(50);
        }
    }

    /** {@code presence_stats} clients of a channel, read through {@code node}; -1 when it does not answer. */
    int presentClients(int node, String channel) {
        String body = nodes.get(node).backend("{\"service\":\"pubsub_backend\",\"message\":{\"command\":"
                + "\"presence_stats\",\"params\":{\"channel\":\"" + channel + "\"}}}");
        try {
            JsonNode clients = Json.mapper().readTree(body).at("/message/data/clients");
            return clients.isInt() ? clients.intValue() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    long subscribersOn(String channel) {
        return subscribers.stream().filter(s -> s.channel.equals(channel)).count();
    }

    /** Stops the publishers, lets the answers and deliveries due arrive, and does the accounting. */
    Report finish() {
        return finish(false);
    }

    /**
     * As {@link #finish()}, having first published again every refused publication with its idempotency key (as a
     * backend does); counts those that had been published although answered {@code Unavailable}.
     */
    Report finishRetrying() {
        return finish(true);
    }

    private Report finish(boolean retry) {
        publishers.forEach(publisher -> publisher.stop(Duration.ofSeconds(10)));
        int refusedYetPublished = 0;
        if (retry) {
            for (LoadPublisher publisher : publishers) {
                for (LoadPublisher.Refused refused : publisher.refused()) {
                    long key = LoadPublisher.key(publisher.id, refused.seq());
                    String channel = LoadPublisher.channel((int) (refused.seq() % CHANNELS));
                    if (subscribers.stream().anyMatch(s -> s.channel.equals(channel) && s.received(key))) {
                        refusedYetPublished++;
                    }
                }
                publisher.retryRefused(Duration.ofSeconds(10));
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<String> lost = lost();
        while (!lost.isEmpty() && System.nanoTime() - deadline < 0) {
            NodeProcess.sleep(200);
            lost = lost();
        }
        return new Report(this, lost, refusedYetPublished);
    }

    /** Acknowledged publications a subscriber of their channel neither received nor was told it missed. */
    private List<String> lost() {
        List<String> lost = new ArrayList<>();
        for (LoadPublisher publisher : publishers) {
            for (LoadPublisher.Acked acked : publisher.acked()) {
                String channel = LoadPublisher.channel(acked.channel());
                for (LoadSubscriber subscriber : subscribers) {
                    if (subscriber.channel.equals(channel)
                            && !subscriber.accounted(acked.key(), acked.epoch(), acked.offset())) {
                        lost.add("subscriber " + subscriber.id + " on node" + subscriber.node() + " lacks " + acked);
                    }
                }
            }
        }
        return lost;
    }

    /** The accounting and the figures of one run. */
    static final class Report {
        final int acked;
        /** Distinct publications sent (a retry is not another one). */
        final long sent;
        final int unavailable;
        final int otherErrors;
        final int unanswered;
        final int unknown;
        final List<String> lost;
        final int duplicates;
        final int jumps;
        final int told;
        final int recoveredTrue;
        final int recoveredFalse;
        /** Answered {@code Unavailable}, yet a subscriber received it: the engine timed out on a stalled Redis. */
        final int refusedYetPublished;
        /** Still refused after the retry (0 when there was none). */
        final int stillRefused;
        private final UnderLoad load;

        Report(UnderLoad load, List<String> lost, int refusedYetPublished) {
            this.load = load;
            this.lost = lost;
            this.refusedYetPublished = refusedYetPublished;
            int a = 0;
            int u = 0;
            int o = 0;
            int un = 0;
            int unk = 0;
            int still = 0;
            for (LoadPublisher publisher : load.publishers) {
                a += publisher.acked().size();
                u += publisher.refused().size();
                for (LoadPublisher.Refused refused : publisher.refused()) {
                    if (!refused.error().equals("Unavailable")) {
                        o++;
                    }
                }
                still += publisher.refusedAgain().size();
                if (publisher.broken()) {
                    unk += publisher.unanswered();
                } else {
                    un += publisher.unanswered();
                }
            }
            acked = a;
            stillRefused = still;
            unavailable = u - o;
            sent = load.publishers.stream().mapToLong(LoadPublisher::sent).sum();
            otherErrors = o;
            unanswered = un;
            unknown = unk;
            duplicates = load.subscribers.stream().mapToInt(LoadSubscriber::duplicates).sum();
            jumps = load.subscribers.stream().mapToInt(LoadSubscriber::jumps).sum();
            told = load.subscribers.stream().mapToInt(LoadSubscriber::told).sum();
            recoveredTrue = load.subscribers.stream().mapToInt(LoadSubscriber::recoveredTrue).sum();
            recoveredFalse = load.subscribers.stream().mapToInt(LoadSubscriber::recoveredFalse).sum();
        }

        /** Percentile {@code p} (0–100) of the live delivery latency, in ms, of the chosen clients and window. */
        long latency(double p, Predicate<LoadSubscriber> clients, Predicate<Integer> fromPublishers, long fromMillis,
                long toMillis) {
            List<Long> latencies = new ArrayList<>();
            for (LoadSubscriber subscriber : load.subscribers) {
                if (!clients.test(subscriber)) {
                    continue;
                }
                for (LoadSubscriber.Delivery delivery : subscriber.deliveries()) {
                    if (fromPublishers.test(delivery.publisher()) && delivery.sentMillis() >= fromMillis
                            && delivery.sentMillis() <= toMillis) {
                        latencies.add(delivery.receivedMillis() - delivery.sentMillis());
                    }
                }
            }
            if (latencies.isEmpty()) {
                return -1;
            }
            Collections.sort(latencies);
            return latencies.get((int) Math.min(latencies.size() - 1, Math.ceil(p / 100 * latencies.size()) - 1));
        }

        /** Publishes answered {@code Unavailable} that were sent within the window. */
        long unavailableBetween(long fromMillis, long toMillis) {
            return load.publishers.stream().flatMap(publisher -> publisher.refused().stream())
                    .filter(refused -> refused.sentMillis() >= fromMillis && refused.sentMillis() <= toMillis)
                    .count();
        }

        /** From the first publish answered with an error to the last such answer, in ms (0 if none). */
        long refusedSpanMillis() {
            List<LoadPublisher.Refused> all = load.publishers.stream()
                    .flatMap(publisher -> publisher.refused().stream()).toList();
            long first = all.stream().mapToLong(LoadPublisher.Refused::sentMillis).min().orElse(0);
            long last = all.stream().mapToLong(LoadPublisher.Refused::answeredMillis).max().orElse(0);
            return last - first;
        }

        /** Health probes of nodes that should have answered, but did not answer {@code live} 200 within 2 s. */
        List<Probe> liveFailures() {
            return load.probes.stream().filter(probe -> probe.live() != 200).toList();
        }

        long slowestLiveMillis() {
            return load.probes.stream().mapToLong(Probe::liveMillis).max().orElse(0);
        }

        @Override
        public String toString() {
            return "sent=" + sent + " acked=" + acked + " unavailable=" + unavailable + " otherErrors=" + otherErrors + " unanswered="
                    + unanswered + " unknown(node killed)=" + unknown + " lost=" + lost.size() + " duplicates="
                    + duplicates + " jumps=" + jumps + " told2500=" + told + " recovered(true)=" + recoveredTrue
                    + " recovered(false)=" + recoveredFalse + " refusedYetPublished=" + refusedYetPublished
                    + " stillRefused=" + stillRefused + " liveFailures=" + liveFailures().size()
                    + " slowestLive=" + slowestLiveMillis() + "ms"
                    + (lost.isEmpty() ? "" : " first lost: " + lost.subList(0, Math.min(5, lost.size())));
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        publishers.forEach(LoadPublisher::close);
        subscribers.forEach(LoadSubscriber::close);
        nodes.forEach(NodeProcess::close);
        redis.close();
        http.close();
    }
}
