package io.squall.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.Await;
import io.squall.server.testing.BrokerMeters;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle webhooks of one node against a real application (JDK HttpServer) that checks every signature: each
 * event type with its fields, retries after 500s with the same ids, the application down for 10 s (nothing lost,
 * order kept), per-channel order under churn, and a tiny queue's overflow counted.
 */
class WebhooksIT {
    private static String[] flags(WebhookApp app, String... more) {
        List<String> flags = new ArrayList<>(List.of("webhooks.url=" + app.url(), "hooks.secret=" + WebhookApp.SECRET,
                "webhooks.retry.min=50ms", "webhooks.retry.max=500ms"));
        flags.addAll(List.of(more));
        return flags.toArray(String[]::new);
    }

    private static String types(List<JsonNode> events) {
        return String.join(",", events.stream().map(event -> event.path("type").asText()).toList());
    }

    @Test
    void chat_members_are_the_channels_subscribers_when_chat_is_listed() {
        try (WebhookApp app = WebhookApp.start();
                TestBroker broker = TestBroker.start(flags(app, "auth.jwt.secret=" + Jwts.SECRET,
                        "webhooks.services=pubsub,chat", "webhooks.channels=room:* occupied,vacated,subscribed,unsubscribed"))) {
            try (WsTestClient phone = broker.connectWithToken(broker.mintToken("\"alice\""));
                    WsTestClient laptop = broker.connectWithToken(broker.mintToken("\"alice\""));
                    WsTestClient bob = broker.connectWithToken(broker.mintToken("\"bob\""))) {
                phone.call("chat", "join", "{\"channel\":\"room:1\"}", 1);
                laptop.call("chat", "join", "{\"channel\":\"room:1\"}", 1);
                bob.call("pubsub", "subscribe", "{\"channel\":\"room:1\"}", 1); // PubSub's room:1 is another channel
                phone.call("chat", "leave", "{\"channel\":\"room:1\"}", 2);
            } // the laptop leaves by closing
            Await.until("both members in and out, bob's subscription too", () -> app.events().size() >= 10);
            List<JsonNode> chat = app.events(event -> event.path("service").asText().equals("chat"));
            assertThat(types(chat)).isEqualTo("subscribed,occupied,subscribed,unsubscribed,unsubscribed,vacated");
            assertThat(chat).allSatisfy(event -> assertThat(event.path("channel").asText()).isEqualTo("room:1"));
            assertThat(chat.get(0).path("identity").asText()).isEqualTo("alice");
            assertThat(types(app.events(event -> event.path("service").asText().equals("pubsub"))))
                    .isEqualTo("subscribed,occupied,unsubscribed,vacated");
        }
        try (WebhookApp app = WebhookApp.start();
                TestBroker broker = TestBroker.start(flags(app, "auth.jwt.secret=" + Jwts.SECRET,
                        "webhooks.channels=room:* occupied,subscribed", "webhooks.connections=connected"))) {
            try (WsTestClient alice = broker.connectWithToken(broker.mintToken("\"alice\""))) {
                alice.call("chat", "join", "{\"channel\":\"room:1\"}", 1);
                alice.call("pubsub", "subscribe", "{\"channel\":\"room:1\"}", 2);
            }
            Await.until("the connection and PubSub's events", () -> app.events().size() >= 3);
            assertThat(app.events(event -> event.path("service").asText().equals("chat")))
                    .as("chat is not in webhooks.services by default").isEmpty();
        }
    }

    @Test
    void every_event_type_with_its_fields_signed() {
        try (WebhookApp app = WebhookApp.start();
                TestBroker broker = TestBroker.start(flags(app, "auth.jwt.secret=" + Jwts.SECRET,
                        "webhooks.connections=connected,disconnected", "webhooks.channels=orders:* occupied,vacated,subscribed,unsubscribed; quiet:* vacated"))) {
            String token = broker.mintToken("\"alice\"");
            try (WsTestClient alice = broker.connectWithToken(token)) {
                alice.call("pubsub", "subscribe", "{\"channel\":\"orders:1\"}", 1);
                alice.call("pubsub", "subscribe", "{\"channel\":\"other\"}", 2);
                alice.call("pubsub", "subscribe", "{\"channel\":\"quiet:1\"}", 3);
                alice.call("pubsub", "unsubscribe", "{\"channel\":\"orders:1\"}", 4);
            }
            Await.until("six events", () -> app.events().size() >= 7);
            List<JsonNode> events = app.events();
            assertThat(types(events)).isEqualTo("connected,subscribed,occupied,unsubscribed,vacated,vacated,disconnected");
            JsonNode connected = events.get(0);
            String client = connected.path("client").asText();
            String node = connected.path("node").asText();
            assertThat(client).isNotEmpty();
            assertThat(connected.path("identity").asText()).isEqualTo("alice");
            assertThat(connected.path("time").asLong()).isPositive();
            assertThat(connected.path("id").asText()).startsWith(node + "-");
            JsonNode subscribed = events.get(1);
            assertThat(subscribed.path("service").asText()).isEqualTo("pubsub");
            assertThat(subscribed.path("channel").asText()).isEqualTo("orders:1");
            assertThat(subscribed.path("client").asText()).isEqualTo(client);
            assertThat(subscribed.path("identity").asText()).isEqualTo("alice");
            JsonNode occupied = events.get(2);
            assertThat(occupied.has("client")).as("a channel event names no client").isFalse();
            JsonNode vacated = events.get(4);
            assertThat(vacated.path("seq").asLong()).isGreaterThan(occupied.path("seq").asLong());
            assertThat(events.get(5).path("channel").asText()).as("quiet:* asks for vacated only").isEqualTo("quiet:1");
            JsonNode disconnected = events.get(6);
            assertThat(disconnected.path("client").asText()).isEqualTo(client);
            assertThat(disconnected.path("code").asInt()).isEqualTo(1000);
            assertThat(disconnected.path("reason").asText()).isEqualTo("Normal closure");
            assertThat(events.stream().map(event -> event.path("id").asText()).distinct()).hasSize(events.size());
            assertThat(app.badSignatures()).isZero();
            assertThat(app.lastNode()).isEqualTo(node);
            // counted once the broker has read the 2xx, a moment after the application kept the events
            BrokerMeters.awaitCounter(broker, Duration.ofSeconds(30), delivered -> delivered == 7,
                    "broker.webhooks.events.delivered");
        }
    }

    @Test
    void a_failing_application_gets_the_same_batch_again_until_it_takes_it() {
        try (WebhookApp app = WebhookApp.start();
                TestBroker broker = TestBroker.start(flags(app, "webhooks.connections=connected,disconnected"))) {
            app.failNext(3);
            broker.connect().close();
            Await.until("delivered after three 500s", () -> app.events().size() == 2);
            List<JsonNode> batches = app.batches();
            assertThat(batches.size()).isGreaterThanOrEqualTo(4);
            // the first batch, refused three times, came back every time with the same ids (the 4th was taken)
            List<String> firstIds = batches.get(0).path("events").findValuesAsText("id");
            for (int i = 1; i < 4; i++) {
                assertThat(batches.get(i).path("events").findValuesAsText("id")).isEqualTo(firstIds);
            }
            assertThat(types(app.events())).isEqualTo("connected,disconnected");
            assertThat(BrokerMeters.counter(broker, "broker.webhooks.events.retried")).isGreaterThanOrEqualTo(3);
            assertThat(BrokerMeters.counter(broker, "broker.webhooks.posts.failed")).isEqualTo(3); // before the 4th
            assertThat(app.badSignatures()).isZero();
        }
    }

    @Test
    void the_application_down_for_ten_seconds_loses_nothing_and_order_holds() throws InterruptedException {
        try (WebhookApp app = WebhookApp.start();
                TestBroker broker = TestBroker.start(flags(app, "webhooks.channels=c:* occupied,vacated,subscribed",
                        "webhooks.batch.size=7", "webhooks.retry.max=1s"))) {
            app.down();
            int rounds = 20;
            try (WsTestClient a = broker.connect(); WsTestClient b = broker.connect()) {
                for (int i = 0; i < rounds; i++) {
                    a.call("pubsub", "subscribe", "{\"channel\":\"c:" + (i % 4) + "\"}", 1);
                    b.call("pubsub", "subscribe", "{\"channel\":\"c:" + (i % 4) + "\"}", 2);
                    a.call("pubsub", "unsubscribe", "{\"channel\":\"c:" + (i % 4) + "\"}", 3);
                    b.call("pubsub", "unsubscribe", "{\"channel\":\"c:" + (i % 4) + "\"}", 4);
                }
            }
            Thread.sleep(10_000);
            assertThat(app.events()).isEmpty();
            app.up();
            int expected = rounds * 4; // subscribed twice, occupied, vacated
            Await.until("everything after the application came back", () -> app.events().size() >= expected);
            List<JsonNode> events = app.events();
            assertThat(events).hasSize(expected);
            for (int c = 0; c < 4; c++) {
                List<JsonNode> channel = app.events(WebhookApp.onChannel("c:" + c));
                StringBuilder expectedTypes = new StringBuilder();
                for (int i = 0; i < rounds / 4; i++) {
                    expectedTypes.append(i == 0 ? "" : ",").append("subscribed,occupied,subscribed,vacated");
                }
                assertThat(types(channel)).isEqualTo(expectedTypes.toString());
                assertIncreasingSeq(channel);
            }
            assertThat(app.badSignatures()).isZero();
            assertThat(BrokerMeters.counter(broker, "broker.webhooks.events.dropped")).isZero();
        }
    }

    @Test
    void per_channel_order_under_churn() {
        try (WebhookApp app = WebhookApp.start();
                TestBroker broker = TestBroker.start(flags(app,
                        "webhooks.channels=* occupied,vacated,subscribed,unsubscribed", "webhooks.batch.size=5"))) {
            app.failNext(2);
            SplittableRandom random = new SplittableRandom(15);
            List<WsTestClient> clients = new ArrayList<>();
            Map<Integer, Set<Integer>> subscribed = new HashMap<>();
            try {
                for (int i = 0; i < 6; i++) {
                    clients.add(broker.connect());
                    subscribed.put(i, new HashSet<>());
                }
                for (int step = 0; step < 400; step++) {
                    int who = random.nextInt(clients.size());
                    int channel = random.nextInt(5);
                    boolean in = subscribed.get(who).contains(channel);
                    clients.get(who).call("pubsub", in ? "unsubscribe" : "subscribe",
                            "{\"channel\":\"churn:" + channel + "\"}", step);
                    if (in) {
                        subscribed.get(who).remove(channel);
                    } else {
                        subscribed.get(who).add(channel);
                    }
                }
            } finally {
                clients.forEach(WsTestClient::close);
            }
            Await.until("every channel vacated at the end", () -> {
                for (int c = 0; c < 5; c++) {
                    List<JsonNode> channel = app.events(WebhookApp.onChannel("churn:" + c));
                    if (channel.isEmpty() || !channel.get(channel.size() - 1).path("type").asText().equals("vacated")) {
                        return false;
                    }
                }
                return true;
            });
            for (int c = 0; c < 5; c++) {
                List<JsonNode> channel = app.events(WebhookApp.onChannel("churn:" + c));
                int subscribers = 0;
                boolean occupied = false;
                for (JsonNode event : channel) {
                    switch (event.path("type").asText()) {
                        case "subscribed" -> subscribers++;
                        case "unsubscribed" -> subscribers--;
                        case "occupied" -> {
                            assertThat(occupied).as("occupied twice in a row on churn:" + c).isFalse();
                            assertThat(subscribers).isEqualTo(1);
                            occupied = true;
                        }
                        case "vacated" -> {
                            assertThat(occupied).as("vacated while not occupied on churn:" + c).isTrue();
                            assertThat(subscribers).isZero();
                            occupied = false;
                        }
                        default -> throw new AssertionError(event.toString());
                    }
                    assertThat(subscribers).isNotNegative();
                }
                assertIncreasingSeq(channel);
            }
            assertThat(app.duplicates()).as("a refused batch is not kept by the application").isZero();
            assertThat(app.badSignatures()).isZero();
        }
    }

    @Test
    void overflow_is_counted_in_metrics_and_health_never_silent() {
        try (WebhookApp app = WebhookApp.start();
                TestBroker broker = TestBroker.start(flags(app, "webhooks.connections=connected,disconnected",
                        "webhooks.batch.size=1", "webhooks.queue.size=2"))) {
            app.down();
            for (int i = 0; i < 10; i++) {
                broker.connect().close();
            }
            Await.until("all twenty events queued or dropped", () -> BrokerMeters.counter(broker,
                    "broker.webhooks.events.dropped") + BrokerMeters.counter(broker,
                    "broker.webhooks.events.enqueued") == 20);
            assertThat(BrokerMeters.counter(broker, "broker.webhooks.events.dropped"))
                    .as("one in flight, two queued: the rest dropped").isGreaterThanOrEqualTo(17);
            Await.until("/health shows the drops and the failing application", () -> {
                String health = broker.get("/health").body();
                return health.contains("\"webhooks\":{") && health.contains("\"failing\":true")
                        && health.matches(".*\"dropped\":[1-9].*");
            });
            app.up();
            Await.until("the queued ones delivered", () -> app.events().size()
                    == (int) BrokerMeters.counter(broker, "broker.webhooks.events.enqueued"));
        }
    }

    private static void assertIncreasingSeq(List<JsonNode> channel) {
        long last = 0;
        for (JsonNode event : channel) {
            if (event.has("seq")) {
                assertThat(event.path("seq").asLong()).isGreaterThan(last);
                last = event.path("seq").asLong();
            }
        }
    }
}
