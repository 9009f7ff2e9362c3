package io.squall.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.Await;
import io.squall.server.testing.PrometheusText;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /health*} and {@code /metrics} on the private port, and what each port answers to plain HTTP. */
class HealthMetricsIT {
    private static final String WS = "ws";

    private TestBroker broker;

    @BeforeEach
    void start() {
        broker = TestBroker.start();
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        broker.close();
    }

    @Test
    void health_endpoints_are_up() {
        for (String path : new String[] {"/health", "/health/ready", "/health/live"}) {
            HttpResponse<String> response = broker.get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isEqualTo("{\"status\":\"UP\"}");
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
        }
    }

    @Test
    void metrics_are_prometheus_text_with_the_broker_and_jvm_meters() {
        HttpResponse<String> response = broker.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        PrometheusText metrics = new PrometheusText(response.body());
        assertThat(metrics.value("broker_connections", "transport", WS)).hasValue(0);
        assertThat(metrics.value("broker_connections", "transport", "backend-ws")).hasValue(0);
        assertThat(metrics.has("broker_loop_queue_size")).isTrue();
        assertThat(metrics.has("broker_loop_task_duration_seconds_count")).isTrue();
        assertThat(metrics.value("broker_clients_slow_closed_total", "transport", WS)).hasValue(0);
        assertThat(metrics.has("jvm_memory_used_bytes")).isTrue();
        assertThat(response.body()).contains("# TYPE broker_connections gauge",
                "# TYPE broker_clients_slow_closed_total counter");
    }

    @Test
    void counters_move_with_traffic_and_errors() {
        PrometheusText before = scrape();
        try (WsTestClient alice = broker.connect()) {
            alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);
            String error = alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 1).path("message")
                    .path("message").asText();
            assertThat(error).isEqualTo("Already subscribed");
            broker.publish("\"news\"", "1");
            alice.next();

            PrometheusText after = scrape();

            assertThat(after.text()).contains("broker_messages_in_total", "broker_messages_out_total",
                    "broker_rpc_errors_total");
            assertThat(delta(before, after, "broker_messages_in_total", "service", "pubsub")).isEqualTo(2);
            assertThat(delta(before, after, "broker_messages_out_total", "service", "pubsub"))
                    .as("two replies and one delivery").isEqualTo(3);
            assertThat(delta(before, after, "broker_messages_in_total", "service", "pubsub_backend")).isEqualTo(1);
            assertThat(delta(before, after, "broker_messages_out_total", "service", "pubsub_backend")).isEqualTo(1);
            assertThat(delta(before, after, "broker_rpc_errors_total", "service", "pubsub", "error",
                    "Already subscribed")).isEqualTo(1);
            assertThat(delta(before, after, "broker_loop_task_duration_seconds_count")).isPositive();
        }
    }

    @Test
    void connection_gauge_follows_clients() {
        WsTestClient alice = broker.connect();
        assertThat(scrape().value("broker_connections", "transport", WS)).hasValue(1);

        alice.close();

        Await.until("broker_connections{transport=ws} back to 0",
                () -> scrape().value("broker_connections", "transport", WS).orElse(-1) == 0);
    }

    @Test
    void unknown_private_path_is_404() {
        assertThat(broker.get("/nope").statusCode()).isEqualTo(404);
        assertThat(broker.get("/health/nope").statusCode()).isEqualTo(404);
        assertThat(broker.get("/ws").statusCode()).as("the public endpoint is not on the private port").isEqualTo(404);
    }

    @Test
    void public_port_serves_only_the_websocket() {
        HttpResponse<String> noUpgrade = getPublic("/ws");
        assertThat(noUpgrade.statusCode()).isEqualTo(400);
        assertThat(noUpgrade.body()).isEqualTo("Expected a WebSocket upgrade");

        for (String path : new String[] {"/", "/other", "/backend", "/backend/ws", "/metrics", "/health"}) {
            assertThat(getPublic(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    private PrometheusText scrape() {
        HttpResponse<String> response = broker.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return new PrometheusText(response.body());
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        assertThat(after.value(name, labels)).as("%s %s present after traffic", name, String.join(",", labels))
                .isPresent();
        return after.counter(name, labels) - before.counter(name, labels);
    }

    private HttpResponse<String> getPublic(String path) {
        URI uri = URI.create("http://127.0.0.1:" + broker.server().publicPort() + path);
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + uri + " failed", e);
        }
    }
}
