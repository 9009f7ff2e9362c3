package io.squall.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.Await;
import io.squall.server.testing.HeadlessChromium;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import io.squall.snap.sim.SnapSimulator;
import io.squall.snap.testing.Socat;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's SNAP mesh view with the simulated mesh on a socat pty pair (as the SNAP ITs run it): the link, the
 * nodes with their online state, and their values, first as the page asks for them over the console's socket, then
 * in headless Chromium.
 */
@Timeout(180) // a browser on a loaded 2-core machine takes a while
class ConsoleSnapIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Socat socat;
    private SnapSimulator mesh;
    private TestBroker broker;
    private ConsoleDoor door;

    @BeforeEach
    void start() {
        socat = Socat.start(dir);
        mesh = new SnapSimulator(socat.nodeEnd(), 3, Duration.ofMillis(300), "snapb1").start();
        broker = TestBroker.start("snap.port=" + socat.bridgeEnd(), "snap.codec=snapb1",
                "console.password=" + ConsoleDoor.PASSWORD);
        door = new ConsoleDoor(broker);
        Await.until("the SNAP link is up", () -> broker.server().snapBridge().orElseThrow().isLinkUp());
    }

    @AfterEach
    void stop() {
        try {
            broker.awaitNoClients();
        } finally {
            broker.close();
            mesh.close();
            socat.close();
        }
    }

    private static JsonNode data(JsonNode frame) {
        assertThat(frame.path("message").path("type").asText()).as(frame.toString()).isEqualTo("response");
        return frame.path("message").path("data");
    }

    @Test
    void the_console_socket_shows_the_link_up_the_nodes_online_and_their_values() {
        try (WsTestClient console = door.socket(door.loginOk())) {
            JsonNode snap = data(console.call("console", "overview", "{}", 1)).path("snap");
            assertThat(snap.path("health").path("link").asText()).isEqualTo("up");
            assertThat(snap.path("all").asText()).isEqualTo("snap/all");
            String service = data(console.call("console", "overview", "{}", 2)).path("services").path("snap").asText();
            assertThat(service).isNotEmpty();

            int[] id = {3};
            JsonNode[] nodes = new JsonNode[1];
            Await.until("three nodes online", WAIT, () -> {
                nodes[0] = data(console.call(service, "nodes", "{}", id[0]++));
                int online = 0;
                for (JsonNode node : nodes[0]) {
                    online += node.path("online").asBoolean() ? 1 : 0;
                }
                return online == 3;
            });
            assertThat(nodes[0]).extracting(node -> node.path("node").asText())
                    .containsExactlyInAnyOrder("5de663", "5de664", "5de665");
            for (JsonNode node : nodes[0]) {
                assertThat(node.path("lastSeen").asText()).as(node.toString()).isNotEmpty();
                assertThat(node.path("lastFunction").asText()).as(node.toString()).isEqualTo("status");
            }

            // the page's last values: what the mesh reports on snap/all, which the console's socket may tail
            assertThat(data(console.call("pubsub", "subscribe", "{\"channel\":\"snap/all\"}", id[0]++)).isNull())
                    .isTrue();
            JsonNode value = console.next().path("message");
            assertThat(value.path("type").asText()).as(value.toString()).isEqualTo("message");
            assertThat(value.path("message").path("function").asText()).isEqualTo("status");
            assertThat(value.path("message").path("src").asText()).matches("5de66[345]");
            assertThat(value.path("message").path("args").size()).as("battery, button, count").isEqualTo(3);
        }
    }

    @Test
    void the_console_page_shows_the_mesh_in_chromium() throws Exception {
        URI page = URI.create(door.origin() + "/console/");
        try (HeadlessChromium browser = HeadlessChromium.open(dir.resolve("chromium-profile"), page)) {
            ConsoleChromium.logIn(browser, WAIT);
            browser.awaitTruthy("the SNAP section shows", "!document.getElementById('snap-section').hidden", WAIT);
            browser.awaitTruthy("the link shows up", "document.getElementById('snap-link').textContent === 'up'",
                    WAIT);
            browser.awaitTruthy("three nodes listed", "document.querySelectorAll('#snap-nodes tr').length === 3",
                    WAIT);
            String row = "document.querySelector('#snap-nodes tr[data-key=\"5de663\"]')";
            assertThat(browser.awaitTruthy("node 5de663 online", row + "?.cells[1].textContent", WAIT).asText())
                    .isEqualTo("yes");
            assertThat(browser.awaitTruthy("node 5de663's last values", row + "?.cells[3].textContent", WAIT)
                    .asText()).matches("status: \\d{4}, (true|false), \\d+");
            ConsoleChromium.logOut(browser, WAIT);
        }
    }
}
