package io.squall.server.snap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.api.ApiService;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import io.squall.snap.SnapService;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.sim.SnapSimulator;
import io.squall.snap.testing.Socat;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The broker with its SNAP bridge on a real pty (socat), the simulated mesh on the other end. */
@Timeout(120) // a browser or a socat restart on a loaded 2-core machine takes a while
class SnapBridgeIT {
    private static final int NODE = 0x5de663;

    @TempDir
    Path dir;
    private SnapTestBed bed;
    private Socat socat;
    private SnapSimulator mesh;
    private TestBroker broker;

    @BeforeEach
    void start() {
        bed = SnapTestBed.start(dir, 3, Duration.ofMillis(200), "snapb1", "snap.public.functions=setLed",
                "snap.reconnect.max=1s");
        socat = bed.socat;
        mesh = bed.mesh;
        broker = bed.broker;
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void a_node_status_rpc_reaches_a_websocket_subscriber() {
        try (WsTestClient browser = broker.connect()) {
            browser.call("pubsub", "subscribe", "{\"channel\":\"snap/5de663/status\"}", 1);

            JsonNode publication = nextPublication(browser);

            assertThat(publication.path("channel").asText()).isEqualTo("snap/5de663/status");
            JsonNode message = publication.path("message");
            assertThat(message.path("src").asText()).isEqualTo("5de663");
            assertThat(message.path("kind").asText()).isEqualTo("multicast");
            assertThat(message.path("group").asInt()).isEqualTo(1);
            assertThat(message.path("ttl").asInt()).isEqualTo(3);
            assertThat(message.path("args")).hasSize(3);
            assertThat(message.path("args").get(0).asInt()).isBetween(2000, 3300);
            assertThat(message.path("args").get(1).isBoolean()).isTrue();
        }
    }

    @Test
    void a_backend_rpc_reaches_the_simulated_node_and_its_answer_comes_back_on_a_channel() {
        List<SnapMessage> calls = new CopyOnWriteArrayList<>();
        mesh.onHostCall(calls::add);
        awaitLinkUp();
        try (WsTestClient browser = broker.connect()) {
            browser.call("pubsub", "subscribe", "{\"channel\":\"snap/5de663/led\"}", 1);

            HttpResponse<String> reply = broker.backend("{\"service\":\"snap\",\"message\":{\"command\":\"rpc\","
                    + "\"params\":{\"address\":\"5de663\",\"function\":\"setLed\",\"args\":[true]},\"callId\":5}}");

            assertThat(reply.body()).contains("\"type\":\"response\"").contains("\"seq\":1");
            Await.until("the node's LED is on", () -> mesh.led(NODE));
            assertThat(calls).singleElement().satisfies(call -> {
                assertThat(call.function()).isEqualTo("setLed");
                assertThat(call.src()).isEqualTo(0x000020);
                assertThat(call.args()).containsExactly(true);
            });
            JsonNode answer = nextPublication(browser).path("message");
            assertThat(answer.path("function").asText()).isEqualTo("led");
            assertThat(answer.path("dst").asText()).isEqualTo("000020");
            assertThat(answer.path("args").get(0).asBoolean()).isTrue();
        }
    }

    @Test
    void the_bridge_joins_both_registries_through_the_public_service_api_as_any_plugin() {
        for (var registry : List.of(broker.server().privateRegistry(), broker.server().publicRegistry())) {
            assertThat(registry.service("snap")).get().isInstanceOfSatisfying(ApiService.class,
                    adapter -> assertThat(adapter.service()).isInstanceOf(SnapService.class));
        }
    }

    @Test
    void public_clients_may_call_only_the_allowed_functions() {
        awaitLinkUp();
        try (WsTestClient browser = broker.connect()) {
            JsonNode denied = browser.call("snap", "rpc",
                    "{\"address\":\"5de663\",\"function\":\"ping\",\"args\":[]}", 1);
            JsonNode allowed = browser.call("snap", "rpc",
                    "{\"address\":\"5de664\",\"function\":\"setLed\",\"args\":[1]}", 2);

            assertThat(denied.path("message").path("message").asText()).isEqualTo("Not authorized");
            assertThat(allowed.path("message").path("type").asText()).isEqualTo("response");
            Await.until("the second node's LED is on", () -> mesh.led(NODE + 1));
        }
    }

    @Test
    void unplugging_and_replugging_the_pty_recovers_by_itself_without_stalling_the_loop_or_spinning() {
        try (WsTestClient browser = broker.connect()) {
            browser.call("pubsub", "subscribe", "{\"channel\":\"snap/link\"}", 1);
            browser.call("pubsub", "subscribe", "{\"channel\":\"snap/all\"}", 2);
            awaitLinkUp();
            nextPublication(browser, "snap/all");

            socat.kill();

            JsonNode down = nextPublication(browser, "snap/link").path("message");
            assertThat(down.path("state").asText()).isEqualTo("down");
            assertThat(broker.server().snapBridge().orElseThrow().isLinkUp()).isFalse();
            double cpu = SnapTestBed.processCpuShareOver(Duration.ofSeconds(2));
            assertThat(cpu).as("share of one core used while the port is gone").isLessThan(0.5);
            JsonNode reply = browser.call("pubsub", "subscribe", "{\"channel\":\"still-answering\"}", 3);
            assertThat(reply.path("message").path("type").asText()).as("the loop keeps answering").isEqualTo("response");

            socat.restart();

            JsonNode up = nextPublication(browser, "snap/link").path("message");
            assertThat(up.path("state").asText()).isEqualTo("up");
            JsonNode again = nextPublication(browser, "snap/all").path("message");
            assertThat(again.path("function").asText()).isEqualTo("status");
            assertThat(broker.server().meters().get("snap.reconnects").counter().count()).isEqualTo(1);
            assertThat(broker.server().meters().get("snap.link.lost").counter().count()).isEqualTo(1);
        }
    }

    private void awaitLinkUp() {
        bed.awaitLinkUp();
    }

    private static JsonNode nextPublication(WsTestClient client) {
        return SnapTestBed.nextPublication(client);
    }

    private static JsonNode nextPublication(WsTestClient client, String channel) {
        return SnapTestBed.nextPublication(client, channel);
    }
}
