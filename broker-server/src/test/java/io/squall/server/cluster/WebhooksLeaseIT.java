package io.squall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.redis.testing.RedisServer;
import io.squall.server.hooks.WebhookApp;
import io.squall.server.testing.Await;
import io.squall.server.testing.BrokerMeters;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node delivering the cluster's occupied and vacated dies ({@code kill -9}) with changes the application has not
 * acknowledged (it was down): a live node takes the partitions' leases and delivers every change, in order.
 */
class WebhooksLeaseIT {

    @Test
    void a_dead_holders_undelivered_changes_are_delivered_by_a_live_node_in_order() {
        try (RedisServer redis = RedisServer.start(); WebhookApp app = WebhookApp.start()) {
            String[] hooks = {"webhooks.url=" + app.url(), "hooks.secret=" + WebhookApp.SECRET,
                "webhooks.retry.min=50ms", "webhooks.retry.max=300ms", "webhooks.channels=* occupied,vacated"};
            try (NodeProcess holder = NodeProcess.start("webhook-holder", redis.uri(), hooks)) {
                holder.awaitReady(); // first node: it takes every partition's lease
                String[] flags = new String[hooks.length + 5];
                System.arraycopy(hooks, 0, flags, 0, hooks.length);
                System.arraycopy(new String[] {"engine=redis", "redis.address=" + redis.uri(),
                    "redis.command.timeout=1s", Liveness.flags()[0], Liveness.flags()[1]}, 0, flags, hooks.length, 5);
                try (TestBroker live = TestBroker.start(flags)) {
                    Await.until("ready", () -> live.get("/health/ready").statusCode() == 200);
                    app.down();
                    int rounds = 10;
                    try (WsTestClient client = live.connect()) {
                        for (int i = 0; i < rounds; i++) {
                            client.call("pubsub", "subscribe", "{\"channel\":\"held\"}", 1);
                            client.call("pubsub", "unsubscribe", "{\"channel\":\"held\"}", 2);
                        }
                    }
                    holder.kill();
                    app.up();
                    Await.until("every change delivered after the holder died",
                            () -> app.events(WebhookApp.onChannel("held")).size() >= rounds * 2);
                    List<JsonNode> events = app.events(WebhookApp.onChannel("held"));
                    assertThat(events).hasSize(rounds * 2);
                    long last = 0;
                    for (int i = 0; i < events.size(); i++) {
                        assertThat(events.get(i).path("type").asText()).isEqualTo(i % 2 == 0 ? "occupied" : "vacated");
                        assertThat(events.get(i).path("seq").asLong()).isGreaterThan(last);
                        last = events.get(i).path("seq").asLong();
                    }
                    assertThat(BrokerMeters.counter(live, "broker.webhooks.posts.failed"))
                            .as("the live node did not hold the lease while the application was down").isZero();
                    assertThat(app.badSignatures()).isZero();
                }
            }
        }
    }
}
