package io.squall.bench.soak;

import io.squall.bench.net.WsConnector;
import io.squall.bench.net.WsTarget;
import io.squall.bench.scenario.Steps;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One soak run: the broker as a process, then for the chosen time fan-out (a backend WebSocket and backend HTTP
 * publishing to subscribers), churn, rounds of attacks and SNAP traffic through a pty, with the broker sampled
 * throughout; then a drain, the loss count, a SIGTERM, and the verdict ({@link SoakReport}).
 */
final class Soak {
    private static final Logger log = LoggerFactory.getLogger(Soak.class);
    static final String HTTP_CHANNEL = "soak/http";

    private final SoakOptions options;
    final Tally fan = new Tally("fan-out");
    final Tally snap = new Tally("SNAP");
    final List<Sample> samples = new CopyOnWriteArrayList<>();
    final List<SoakClient> fanSubscribers = new ArrayList<>();
    final List<SoakClient> snapSubscribers = new ArrayList<>();
    final String[] channels;
    Publishers.Ws ws;
    Publishers.Http http;
    Churn churn;
    Abuse abuse;
    SnapFeed feed;
    BrokerProcess broker;
    Path dir;
    double trafficSeconds;
    int exitCode = Integer.MIN_VALUE;
    boolean brokerDied;

    Soak(SoakOptions options) {
        this.options = options;
        this.channels = new String[options.channels()];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = "soak/fan/" + i;
        }
    }

    SoakOptions options() {
        return options;
    }

    /** Runs the whole soak and returns its report; throws only when it could not start. */
    static SoakReport run(SoakOptions options) throws Exception {
        Soak soak = new Soak(options);
        soak.dir = options.out().orElse(null);
        if (soak.dir == null) {
            soak.dir = Files.createTempDirectory("squall-soak.");
        } else {
            Files.createDirectories(soak.dir);
        }
        if (!Files.isExecutable(options.jcmd())) {
            throw new IllegalStateException("no jcmd next to " + options.java() + ": the soak reads the broker's heap "
                    + "after GC with it, so it needs a JDK, not a JRE (--java PATH)");
        }
        log.info("soak: {} of traffic, work files in {}", options.duration(), soak.dir);
        try (BrokerProcess broker = BrokerProcess.start(options, soak.dir);
                WsConnector connector = new WsConnector(List.of("127.0.0.1"))) {
            soak.broker = broker;
            log.info("soak: broker pid {} (-Xmx{}), public port {}, private port {}", broker.pid(), options.xmx(),
                    broker.publicPort(), broker.privatePort());
            soak.traffic(connector);
            soak.exitCode = broker.stop(Duration.ofSeconds(30));
        }
        SoakReport report = new SoakReport(soak);
        report.writeSamples(soak.dir.resolve("samples.csv"));
        return report;
    }

    private void traffic(WsConnector connector) throws Exception {
        URI publicWs = URI.create("ws://127.0.0.1:" + broker.publicPort() + "/ws");
        URI privateBase = URI.create("http://127.0.0.1:" + broker.privatePort());
        for (int i = 0; i < options.subscribers(); i++) {
            List<String> subscribed = new ArrayList<>(List.of(channels[i % channels.length]));
            if (i % 10 == 0) {
                subscribed.add(HTTP_CHANNEL);
            }
            fanSubscribers.add(open(connector, publicWs, new SoakClient(fan, 0), subscribed));
        }
        for (int i = 0; i < options.snapSubscribers(); i++) {
            snapSubscribers.add(open(connector, publicWs, new SnapFeed.Subscriber(snap),
                    SnapFeed.channels(options.snapNodes())));
        }
        awaitOrFail("subscriptions confirmed", Duration.ofSeconds(60), () -> fanSubscribers.stream()
                .allMatch(s -> s.acks.get() >= s.streamsWanted) && snapSubscribers.stream()
                .allMatch(s -> s.acks.get() >= s.streamsWanted));
        log.info("soak: {} fan-out and {} SNAP subscribers confirmed", fanSubscribers.size(), snapSubscribers.size());
        ws = new Publishers.Ws(channels, fan);
        ws.open(connector, URI.create("ws://127.0.0.1:" + broker.privatePort() + "/backend/ws"));
        http = new Publishers.Http(privateBase.resolve("/backend"), HTTP_CHANNEL, fan);
        feed = new SnapFeed(broker.nodeEnd(), options.snapNodes(), snap);

        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon()
                .name("soak-timer-", 0).factory());
        ScheduledExecutorService httpThread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .daemon().name("soak-http").factory());
        ScheduledExecutorService snapThread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .daemon().name("soak-snap").factory());
        churn = new Churn(connector, publicWs, channels, timer);
        abuse = new Abuse(broker.publicPort(), broker.privatePort(), timer);
        Sampler sampler = new Sampler(broker.pid(), options.jcmd(), broker.privatePort());
        long start = System.nanoTime();
        long end = start + options.duration().toNanos();
        long[] issued = new long[2];
        timer.scheduleAtFixedRate(() -> {
            long due = (long) ((System.nanoTime() - start) / 1e9 * options.rate());
            if (due > issued[0]) {
                ws.publish((int) (due - issued[0]));
                issued[0] = due;
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        snapThread.scheduleAtFixedRate(() -> {
            long due = (long) ((System.nanoTime() - start) / 1e9 * options.snapRate());
            if (due > issued[1]) {
                feed.write((int) (due - issued[1]));
                issued[1] = due;
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        long httpPeriod = Math.max(1, 1000L * Publishers.Http.BATCH / options.httpRate());
        httpThread.scheduleWithFixedDelay(http::postBatch, 0, httpPeriod, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(churn::cycle, 500, Math.max(1, Math.round(1000 / options.churn())),
                TimeUnit.MILLISECONDS);
        long abuseMillis = options.abuseEvery().toMillis();
        timer.scheduleAtFixedRate(abuse::round, abuseMillis / 2, abuseMillis, TimeUnit.MILLISECONDS);

        long sampleNanos = options.sampleEvery().toNanos();
        boolean warm = false;
        for (long next = start; System.nanoTime() - end < 0; next += sampleNanos) {
            if (!warm && System.nanoTime() - start >= options.warmup().toNanos()) {
                // latency is reported for the steady state: the JIT and the first connections are behind us
                warm = true;
                for (Tally tally : List.of(fan, snap, churn.tally)) {
                    tally.latencyMicros.reset();
                }
            }
            while (System.nanoTime() - next < 0 && System.nanoTime() - end < 0) {
                Steps.sleep(Math.min(500, Math.max(1, (next - System.nanoTime()) / 1_000_000)));
                if (!broker.isAlive()) {
                    break;
                }
            }
            if (!broker.isAlive()) {
                brokerDied = true;
                log.error("soak: the broker died; the end of its log:\n{}", broker.tail(30));
                break;
            }
            if (System.nanoTime() - end < 0) {
                Sample sample = sampler.sample((System.nanoTime() - start) / 1e9, this::clientConnections);
                samples.add(sample);
                log.info("soak: {}", SoakReport.progress(sample, fan, ws, churn, abuse, snap));
            }
        }
        trafficSeconds = (System.nanoTime() - start) / 1e9;
        timer.shutdownNow();
        snapThread.shutdown();
        httpThread.shutdown();
        snapThread.awaitTermination(10, TimeUnit.SECONDS);
        httpThread.awaitTermination(40, TimeUnit.SECONDS);
        abuse.close();
        churn.stop();
        drain();
        if (broker.isAlive()) {
            samples.add(sampler.sample((System.nanoTime() - start) / 1e9, this::clientConnections));
        }
        sampler.close();
        fanSubscribers.forEach(SoakClient::close);
        snapSubscribers.forEach(SoakClient::close);
        ws.close();
        http.close();
        feed.close();
    }

    /** Waits (bounded) for everything published to arrive, then counts what did not. */
    private void drain() {
        Steps.waitFor(() -> churn.inFlight() == 0 && ws.answered.get() >= ws.sentTotal()
                && fanSubscribers.stream().allMatch(this::fanComplete)
                && snapSubscribers.stream().allMatch(this::snapComplete), Duration.ofSeconds(30));
        for (SoakClient subscriber : fanSubscribers) {
            for (int c = 0; c < channels.length; c++) {
                fan.lost.addAndGet(lost(subscriber, channels[c], ws.sent(c)));
            }
            fan.lost.addAndGet(lost(subscriber, HTTP_CHANNEL, http.published.get()));
        }
        for (SoakClient subscriber : snapSubscribers) {
            for (int node = 0; node < feed.nodes(); node++) {
                String src = SnapFeed.address(node);
                snap.lost.addAndGet(lost(subscriber, "snap/all|" + src, feed.written(node)));
                snap.lost.addAndGet(lost(subscriber, "snap/" + src + "/" + SnapFeed.FUNCTION + "|" + src,
                        feed.written(node)));
            }
        }
    }

    /** What {@code subscriber} misses of {@code stream}'s numbers below {@code end}, if it subscribed to it. */
    private static long lost(SoakClient subscriber, String stream, long end) {
        String channel = stream.contains("|") ? stream.substring(0, stream.indexOf('|')) : stream;
        if (!subscriber.subscribed.contains(channel)) {
            return 0;
        }
        SeqCheck check = subscriber.streams.get(stream);
        return check == null ? end : check.lostBefore(end);
    }

    private boolean fanComplete(SoakClient subscriber) {
        for (int c = 0; c < channels.length; c++) {
            if (lost(subscriber, channels[c], ws.sent(c)) > 0) {
                return false;
            }
        }
        return lost(subscriber, HTTP_CHANNEL, http.published.get()) == 0;
    }

    private boolean snapComplete(SoakClient subscriber) {
        for (int node = 0; node < feed.nodes(); node++) {
            String src = SnapFeed.address(node);
            if (lost(subscriber, "snap/all|" + src, feed.written(node)) > 0) {
                return false;
            }
        }
        return true;
    }

    private long clientConnections() {
        return fanSubscribers.size() + snapSubscribers.size() + 1 + churn.inFlight() + abuse.open();
    }

    private static SoakClient open(WsConnector connector, URI uri, SoakClient client, List<String> channels)
            throws Exception {
        client.subscribed.addAll(channels);
        client.streamsWanted = channels.size();
        client.subscribe(connector.connect(new WsTarget(uri, null, Map.of(), true), client, client, 0)
                .get(30, TimeUnit.SECONDS), channels);
        return client;
    }

    private static void awaitOrFail(String what, Duration timeout, BooleanSupplier condition) {
        if (!Steps.waitFor(condition, timeout)) {
            throw new IllegalStateException(what + ": not within " + timeout);
        }
    }

    Path dir() {
        return dir;
    }
}
