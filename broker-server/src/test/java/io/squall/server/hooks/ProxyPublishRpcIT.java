package io.squall.server.hooks;

import static io.squall.server.hooks.ProxySubscribeIT.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The publish proxy (allow, refuse, replace the data) and the rpc proxy (a service answered by the application). */
class ProxyPublishRpcIT {
    private TestApp app;
    private TestBroker broker;

    @BeforeEach
    void start() {
        app = TestApp.start();
        broker = TestBroker.start("hooks.secret=" + TestApp.SECRET, "proxy.publish.url=" + app.url("/publish"),
                "proxy.publish.channels=room:*", "proxy.rpc.url=" + app.url("/rpc"), "proxy.rpc.service=shop");
        app.on("publish", body -> TestApp.Reply.json(switch (body.path("data").path("text").asText()) {
            case "spam" -> "{\"error\":{\"name\":\"No spam\"}}";
            case "shout" -> "{\"result\":{\"data\":{\"text\":\"SHOUT\",\"moderated\":true}}}";
            default -> "{\"result\":{}}";
        }));
        app.on("rpc", body -> TestApp.Reply.json(switch (body.path("command").asText()) {
            case "add" -> "{\"result\":{\"data\":{\"sum\":" + (body.at("/params/a").asInt() + body.at("/params/b").asInt())
                    + "}}}";
            case "nothing" -> "{\"result\":{}}";
            case "kick" -> "{\"disconnect\":{\"code\":4444,\"reason\":\"kicked\"}}";
            default -> "{\"error\":{\"name\":\"Unknown command\",\"message\":\"the app has no such command\"}}";
        }));
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        broker.close();
        app.close();
        assertThat(app.badSignatures).hasValue(0);
    }

    @Test
    void the_application_allows_refuses_or_replaces_a_clients_publication() {
        try (WsTestClient reader = broker.connect(); WsTestClient writer = broker.connect()) {
            reader.call("pubsub", "subscribe", "{\"channel\":\"room:1\"}", 0);
            assertThat(type(writer.call("pubsub", "publish",
                    "{\"channel\":\"room:1\",\"message\":{\"text\":\"hi\"}}", 1))).isEqualTo("response");
            assertThat(reader.next().at("/message/message/text").asText()).isEqualTo("hi");

            assertThat(writer.call("pubsub", "publish", "{\"channel\":\"room:1\",\"message\":{\"text\":\"spam\"}}", 2)
                    .at("/message/message").asText()).isEqualTo("No spam");

            assertThat(type(writer.call("pubsub", "publish",
                    "{\"channel\":\"room:1\",\"message\":{\"text\":\"shout\"}}", 3))).isEqualTo("response");
            JsonNode replaced = reader.next().at("/message/message");
            assertThat(replaced.get("text").asText()).isEqualTo("SHOUT");
            assertThat(replaced.get("moderated").asBoolean()).isTrue();
            assertThat(reader.poll(Duration.ofMillis(200))).isNull(); // the refused one never arrived
        }
        JsonNode call = app.calls("publish").get(0).body();
        assertThat(call.get("service").asText()).isEqualTo("pubsub");
        assertThat(call.get("channel").asText()).isEqualTo("room:1");
        assertThat(call.at("/data/text").asText()).isEqualTo("hi");
        assertThat(call.has("params")).isFalse();
    }

    @Test
    void channels_outside_proxy_publish_channels_are_not_sent() {
        try (WsTestClient writer = broker.connect()) {
            assertThat(type(writer.call("pubsub", "publish", "{\"channel\":\"news\",\"message\":{\"text\":\"spam\"}}",
                    0))).isEqualTo("response");
        }
        assertThat(app.calls("publish")).isEmpty();
    }

    @Test
    void rpc_commands_are_answered_by_the_application() {
        try (WsTestClient client = broker.connect()) {
            JsonNode sum = client.call("shop", "add", "{\"a\":2,\"b\":3}", 0);
            assertThat(sum.at("/message/data/sum").asInt()).isEqualTo(5);
            assertThat(sum.at("/service").asText()).isEqualTo("shop");
            assertThat(client.call("shop", "nothing", "{}", 1).at("/message/data").isNull()).isTrue();
            assertThat(client.call("shop", "refund", "{}", 2).at("/message/message").asText())
                    .isEqualTo("Unknown command");
            // the shape is the broker's to check: these never reach the application
            client.send("{\"service\":\"shop\",\"message\":{\"params\":{},\"callId\":3}}");
            assertThat(client.next().at("/message/message").asText()).isEqualTo("Invalid message");
            assertThat(client.call("shop", "add", "[1,2]", 4).at("/message/message").asText())
                    .isEqualTo("Invalid params");
        }
        assertThat(app.calls("rpc")).hasSize(3);
        JsonNode call = app.calls("rpc").get(0).body();
        assertThat(call.get("service").asText()).isEqualTo("shop");
        assertThat(call.get("command").asText()).isEqualTo("add");
        assertThat(call.at("/params/a").asInt()).isEqualTo(2);
        assertThat(call.get("identity").isNull()).isTrue();
        assertThat(app.calls("rpc").get(0).header("X-Squall-Hook")).isEqualTo("rpc");
    }

    @Test
    void an_rpc_disconnect_answer_closes_the_connection() {
        try (WsTestClient client = broker.connect()) {
            client.send("{\"service\":\"shop\",\"message\":{\"command\":\"kick\",\"params\":{},\"callId\":0}}");
            assertThat(client.awaitClose()).isEqualTo(4444);
        }
    }
}
