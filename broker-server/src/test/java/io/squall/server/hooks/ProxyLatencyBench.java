package io.squall.server.hooks;

import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The latency a subscribe proxy adds (not a test: it prints figures). One broker, one application on loopback that
 * answers at once; the same connection subscribes (and unsubscribes) in turn to a channel the proxy decides
 * ({@code p:*}) and one it does not ({@code u:*}); each subscribe's round trip, as the client sees it, goes in one
 * of two histograms. Run with {@code bin/squall-proxy-bench [rounds]}, default 20000 (after 2000 warm-up rounds).
 */
public final class ProxyLatencyBench {
    private ProxyLatencyBench() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int warmup = Math.max(1, rounds / 10);
        try (TestApp app = TestApp.start(); TestBroker broker = TestBroker.start("hooks.secret=" + TestApp.SECRET,
                "proxy.subscribe.url=" + app.url("/subscribe"), "proxy.subscribe.channels=p:*",
                "proxy.max.concurrency=8"); WsTestClient client = broker.connect()) {
            Histogram proxied = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
            Histogram direct = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
            int callId = 0;
            for (int i = 0; i < warmup + rounds; i++) {
                boolean record = i >= warmup;
                for (String prefix : i % 2 == 0 ? new String[] {"p", "u"} : new String[] {"u", "p"}) {
                    String params = "{\"channel\":\"" + prefix + ":" + i + "\"}";
                    long start = System.nanoTime();
                    String type = client.call("pubsub", "subscribe", params, callId++).at("/message/type").asText();
                    long micros = (System.nanoTime() - start) / 1000;
                    if (!type.equals("response")) {
                        throw new IllegalStateException("subscribe failed: " + type);
                    }
                    if (record) {
                        (prefix.equals("p") ? proxied : direct).recordValue(micros);
                    }
                    client.call("pubsub", "unsubscribe", params, callId++);
                }
            }
            print("unproxied", direct);
            print("proxied  ", proxied);
            System.out.printf(Locale.ROOT, "added by the proxy: p50 %+d us, p99 %+d us (%d rounds, %d app calls)%n",
                    proxied.getValueAtPercentile(50) - direct.getValueAtPercentile(50),
                    proxied.getValueAtPercentile(99) - direct.getValueAtPercentile(99), rounds,
                    app.calls("subscribe").size());
            app.calls.clear();
        }
    }

    private static void print(String label, Histogram histogram) {
        System.out.printf(Locale.ROOT, "%s subscribe round trip: p50 %d us, p90 %d us, p99 %d us, p99.9 %d us,"
                + " max %d us%n", label, histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
                histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
    }
}
