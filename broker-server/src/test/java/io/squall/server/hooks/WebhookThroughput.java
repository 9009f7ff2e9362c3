package io.squall.server.hooks;

import io.squall.server.testing.BrokerMeters;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Webhook throughput, not a test: run {@code bin/squall-webhook-bench}. For each batch size, a broker on the memory
 * engine reports every PubSub channel's subscribed, occupied, unsubscribed and vacated to an application that
 * answers at once (a JDK HttpServer checking each signature, same machine); clients subscribe and unsubscribe
 * distinct channels as fast as they can send (4 events per pair), and the harness prints the events per second
 * delivered (acknowledged by the application) from the first event queued to the last acknowledged, and the
 * queue's peak.
 *
 * <p>Arguments: {@code [events [batchSizes]]}, default {@code 40000 1,100}.
 */
public final class WebhookThroughput {
    private static final int CLIENTS = 8;

    private WebhookThroughput() {}

    public static void main(String[] args) throws InterruptedException {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        String[] sizes = (args.length > 1 ? args[1] : "1,100").split(",");
        for (String size : sizes) {
            run(events, Integer.parseInt(size.trim()));
        }
    }

    private static void run(int events, int batchSize) throws InterruptedException {
        int pairsPerClient = Math.max(1, events / 4 / CLIENTS);
        int expected = pairsPerClient * CLIENTS * 4;
        try (WebhookApp app = WebhookApp.start();
                TestBroker broker = TestBroker.start("webhooks.url=" + app.url(),
                        "hooks.secret=" + WebhookApp.SECRET, "webhooks.channels=* occupied,vacated,subscribed,unsubscribed",
                        "webhooks.batch.size=" + batchSize, "webhooks.queue.size=" + (expected + 1000),
                        "log.level=WARN")) {
            List<WsTestClient> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(broker.connect());
            }
            long start = System.nanoTime();
            for (int pair = 0; pair < pairsPerClient; pair++) {
                for (int c = 0; c < CLIENTS; c++) {
                    String channel = "{\"channel\":\"t:" + c + ":" + pair + "\"}";
                    clients.get(c).send("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":"
                            + channel + ",\"callId\":1}}");
                    clients.get(c).send("{\"service\":\"pubsub\",\"message\":{\"command\":\"unsubscribe\",\"params\":"
                            + channel + ",\"callId\":2}}");
                }
            }
            double peak = 0;
            while (BrokerMeters.counter(broker, "broker.webhooks.events.delivered") < expected) {
                peak = Math.max(peak, broker.server().meters().get("broker.webhooks.queue.depth").gauge().value());
                if (System.nanoTime() - start > 300_000_000_000L) {
                    throw new IllegalStateException("not delivered within 5 minutes");
                }
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "webhooks: batch.size %d: %d events delivered in %.2f s = %.0f events/s"
                    + " (queue peak %.0f, %d POSTs, dropped %.0f, bad signatures %d)%n", batchSize, expected, seconds,
                    expected / seconds, peak, app.posts(), BrokerMeters.counter(broker,
                            "broker.webhooks.events.dropped"), app.badSignatures());
            clients.forEach(WsTestClient::close);
        }
    }
}
