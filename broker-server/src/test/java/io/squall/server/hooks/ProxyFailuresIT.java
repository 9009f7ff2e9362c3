package io.squall.server.hooks;

import static io.squall.server.hooks.ProxySubscribeIT.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A slow, failing, overloaded or confused application: each gets its documented error name at the client, the loop
 * keeps serving everyone else, and nothing is held for a refused command.
 */
class ProxyFailuresIT {
    private final TestApp app = TestApp.start();
    private TestBroker broker;

    private TestBroker start(String... flags) {
        List<String> all = new java.util.ArrayList<>(List.of("hooks.secret=" + TestApp.SECRET,
                "proxy.subscribe.url=" + app.url("/subscribe")));
        all.addAll(List.of(flags));
        broker = TestBroker.start(all.toArray(String[]::new));
        return broker;
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.awaitNoClients();
            broker.close();
        }
        app.close();
        assertThat(app.badSignatures).hasValue(0);
    }

    @Test
    void a_slow_application_is_answered_timeout_while_the_loop_serves_the_others() {
        start("proxy.subscribe.timeout=3s");
        app.on("subscribe", body -> new TestApp.Reply(200, "{\"result\":{}}", 10_000));
        try (WsTestClient slow = broker.connect(); WsTestClient other = broker.connect()) {
            slow.send("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\","
                    + "\"params\":{\"channel\":\"a\"},\"callId\":7}}");
            Await.until("the call reached the application", () -> app.calls("subscribe").size() == 1);
            // the loop is not waiting for the application: another connection is served meanwhile
            assertThat(type(other.call("pubsub", "ping", "{}", 1))).isEqualTo("response");
            assertThat(slow.poll(Duration.ZERO)).isNull();
            JsonNode timeout = slow.next();
            assertThat(timeout.at("/message/message").asText()).isEqualTo("Timeout");
            assertThat(timeout.at("/message/callId").asInt()).isEqualTo(7);
        }
        assertThat(app.calls("subscribe")).hasSize(1); // a timeout is not retried
        assertThat(subscribers("a")).isZero();
    }

    @Test
    void a_failing_application_opens_the_breaker_which_closes_once_it_recovers() {
        start("proxy.breaker.failures=3", "proxy.breaker.cooldown=1s");
        app.on("subscribe", body -> new TestApp.Reply(500, "oops", 0));
        try (WsTestClient client = broker.connect()) {
            for (int i = 0; i < 3; i++) {
                assertThat(error(client.call("pubsub", "subscribe", "{\"channel\":\"c" + i + "\"}", i)))
                        .isEqualTo("Unavailable");
            }
            assertThat(app.calls("subscribe")).hasSize(3);
            // open: answered at once, the application is not called
            assertThat(error(client.call("pubsub", "subscribe", "{\"channel\":\"c3\"}", 3))).isEqualTo("Unavailable");
            assertThat(app.calls("subscribe")).hasSize(3);

            app.answer("subscribe", "{\"result\":{}}");
            int[] id = {10};
            Await.until("a probe after the cool-down closes the breaker", Duration.ofSeconds(20), () ->
                    type(client.call("pubsub", "subscribe", "{\"channel\":\"d" + id[0] + "\"}", id[0]++))
                            .equals("response"));
            assertThat(type(client.call("pubsub", "subscribe", "{\"channel\":\"e\"}", 99))).isEqualTo("response");
        }
        String metrics = broker.get("/metrics").body();
        assertThat(metrics).contains("broker_proxy_calls_total{outcome=\"breaker_open\",proxy=\"subscribe\"}");
        assertThat(metrics).contains("broker_proxy_request_duration_seconds_bucket{proxy=\"subscribe\"");
        assertThat(metrics).contains("broker_proxy_breaker_open{proxy=\"subscribe\"} 0.0");
    }

    @Test
    void bad_answers_are_unavailable_to_the_client_and_hold_nothing() {
        start("proxy.breaker.failures=100");
        List<String> answers = List.of("not json", "{\"result\":{},\"error\":{\"name\":\"x\"}}", "{\"result\":[]}",
                "{\"error\":{\"name\":42}}", "{\"error\":{\"name\":\"\"}}", "{\"disconnect\":{\"code\":1000}}",
                "{\"allow\":true}", "[]", "{\"result\":{}} trailing", "",
                "{\"result\":{\"x\":\"" + "a".repeat(2 << 20) + "\"}}");
        try (WsTestClient client = broker.connect()) {
            for (int i = 0; i < answers.size(); i++) {
                String answer = answers.get(i);
                app.answer("subscribe", answer);
                assertThat(error(client.call("pubsub", "subscribe", "{\"channel\":\"b\"}", i)))
                        .as(answer).isEqualTo("Unavailable");
            }
            assertThat(subscribers("b")).isZero();
            app.answer("subscribe", "{\"result\":{}}");
            assertThat(type(client.call("pubsub", "subscribe", "{\"channel\":\"b\"}", 50))).isEqualTo("response");
        }
        assertThat(broker.get("/metrics").body())
                .contains("broker_proxy_calls_total{outcome=\"bad_answer\",proxy=\"subscribe\"} 11.0");
    }

    @Test
    void past_max_concurrency_a_call_is_overloaded_at_once() {
        start("proxy.max.concurrency=1");
        app.on("subscribe", body -> new TestApp.Reply(200, "{\"result\":{}}",
                body.path("channel").asText().equals("slow") ? 1_000 : 0));
        try (WsTestClient first = broker.connect(); WsTestClient second = broker.connect()) {
            first.send("{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\","
                    + "\"params\":{\"channel\":\"slow\"},\"callId\":0}}");
            Await.until("the first call is in flight", () -> app.calls("subscribe").size() == 1);
            assertThat(error(second.call("pubsub", "subscribe", "{\"channel\":\"x\"}", 0))).isEqualTo("Overloaded");
            assertThat(type(first.next())).isEqualTo("response");
            JsonNode again = second.call("pubsub", "subscribe", "{\"channel\":\"x\"}", 1);
            assertThat(type(again)).as(again.toString()).isEqualTo("response");
        }
    }

    @Test
    void an_application_that_is_not_there_is_unavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        broker = TestBroker.start("hooks.secret=" + TestApp.SECRET,
                "proxy.subscribe.url=http://127.0.0.1:" + closedPort + "/subscribe");
        try (WsTestClient client = broker.connect()) {
            assertThat(error(client.call("pubsub", "subscribe", "{\"channel\":\"z\"}", 0))).isEqualTo("Unavailable");
        }
        assertThat(broker.get("/metrics").body())
                .contains("broker_proxy_calls_total{outcome=\"unavailable\",proxy=\"subscribe\"} 1.0");
    }

    private int subscribers(String channel) {
        return broker.server().callOnLoop(() -> ((io.squall.core.service.pubsub.PubSubService) broker.server()
                .publicRegistry().service("pubsub").orElseThrow()).subscriberCount(
                        com.fasterxml.jackson.databind.node.TextNode.valueOf(channel)));
    }

    private static String error(JsonNode frame) {
        assertThat(type(frame)).as(frame.toString()).isEqualTo("error");
        return frame.at("/message/message").asText();
    }
}
