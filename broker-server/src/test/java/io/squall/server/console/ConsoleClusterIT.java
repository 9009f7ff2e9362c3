package io.squall.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.redis.testing.RedisServer;
import io.squall.server.testing.Await;
import io.squall.server.testing.HeadlessChromium;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's nodes view on a cluster: two nodes sharing a real {@code redis-server}; the console of one lists
 * both, each with connections, subscriptions, loop queue depth and message rates (the other's from its heartbeat),
 * over its socket and in headless Chromium.
 */
@Timeout(180) // a browser on a loaded 2-core machine takes a while
class ConsoleClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private RedisServer redis;
    private final List<TestBroker> nodes = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() {
        nodes.forEach(TestBroker::close);
        redis.close();
    }

    private TestBroker node(String id) {
        TestBroker node = TestBroker.start("engine=redis", "redis.address=" + redis.uri(), "node.id=" + id,
                "redis.heartbeat.interval=200ms", "console.password=" + ConsoleDoor.PASSWORD, "auth.anonymous=true");
        nodes.add(node);
        Await.until("node " + id + " ready", () -> node.get("/health/ready").statusCode() == 200);
        return node;
    }

    private static JsonNode data(JsonNode frame) {
        assertThat(frame.path("message").path("type").asText()).as(frame.toString()).isEqualTo("response");
        return frame.path("message").path("data");
    }

    private static JsonNode row(JsonNode overview, String id) {
        for (JsonNode node : overview.path("nodes")) {
            if (node.path("id").asText().equals(id)) {
                return node;
            }
        }
        return null;
    }

    @Test
    void the_console_of_one_node_shows_every_node_with_its_loop_queue_and_message_rates() throws Exception {
        TestBroker a = node("node-a");
        TestBroker b = node("node-b");
        ConsoleDoor door = new ConsoleDoor(a);
        try (WsTestClient console = door.socket(door.loginOk());
                WsTestClient onB = b.connect()) {
            data(onB.call("pubsub", "subscribe", "{\"channel\":\"room:1\"}", 0));
            int[] id = {1};
            JsonNode[] seen = new JsonNode[1];
            // b's client keeps calling (each one answered "Already subscribed"), so b's heartbeat reports messages
            // in and out above zero
            Await.until("a's console sees b busy", () -> {
                onB.call("pubsub", "subscribe", "{\"channel\":\"room:1\"}", id[0]++);
                seen[0] = data(console.call("console", "overview", "{}", id[0]++));
                JsonNode other = row(seen[0], "node-b");
                return other != null && other.path("connections").asInt() == 1
                        && other.path("messagesInPerSecond").asDouble() > 0
                        && other.path("messagesOutPerSecond").asDouble() > 0;
            });
            JsonNode overview = seen[0];
            assertThat(overview.path("node").path("id").asText()).isEqualTo("node-a");
            assertThat(overview.path("nodes")).extracting(node -> node.path("id").asText())
                    .containsExactly("node-a", "node-b");
            for (JsonNode node : overview.path("nodes")) {
                assertThat(node.path("address").asText()).as(node.toString()).startsWith("127.0.0.1:");
                assertThat(node.path("loopQueue").isIntegralNumber()).as(node.toString()).isTrue();
                assertThat(node.path("loopQueue").asLong()).as(node.toString()).isNotNegative();
                assertThat(node.path("messagesInPerSecond").isNumber()).as(node.toString()).isTrue();
                assertThat(node.path("messagesOutPerSecond").isNumber()).as(node.toString()).isTrue();
            }
            JsonNode other = row(overview, "node-b");
            assertThat(other.path("connections").asInt()).isEqualTo(1);
            assertThat(other.path("subscriptions").asInt()).as("b's one client on one channel").isEqualTo(1);
            assertThat(row(overview, "node-a").path("connections").asInt()).as("a console is not a public client")
                    .isZero();

            // and the page shows both rows, each with its loop queue and rates
            try (HeadlessChromium browser = HeadlessChromium.open(dir.resolve("chromium-profile"),
                    URI.create(door.origin() + "/console/"))) {
                ConsoleChromium.logIn(browser, WAIT);
                browser.awaitTruthy("two node rows", "document.querySelectorAll('#nodes tr').length === 2", WAIT);
                for (String id2 : List.of("node-a", "node-b")) {
                    String cells = "Array.from(document.querySelector('#nodes tr[data-key=\"" + id2
                            + "\"]').cells).map(c => c.textContent)";
                    JsonNode shown = browser.awaitTruthy(id2 + "'s loop queue and rates", "(() => { const c = "
                            + cells + "; return /^\\d+$/.test(c[4]) && /^\\d+\\.\\d$/.test(c[5])"
                            + " && /^\\d+\\.\\d$/.test(c[6]) && c; })()", WAIT);
                    assertThat(shown.get(0).asText()).isEqualTo(id2);
                }
                ConsoleChromium.logOut(browser, WAIT);
            }
        }
    }
}
