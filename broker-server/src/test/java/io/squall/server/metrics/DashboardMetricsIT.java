package io.squall.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.redis.testing.RedisServer;
import io.squall.server.config.ReadmeConfigTableTest;
import io.squall.server.testing.Await;
import io.squall.server.testing.PrometheusText;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import io.squall.snap.sim.SnapSimulator;
import io.squall.snap.testing.Socat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * docker/grafana/squall.json against a real broker's {@code /metrics}: every metric a panel or variable queries
 * exists, with every label its matchers and {@code by (...)} clauses name (and every exact label value). The broker
 * runs the Redis engine on a real redis-server and the SNAP bridge on a socat pty with a simulated mesh, and serves
 * a subscriber, a backend publish and an RPC error first, so every meter the dashboard reads has been registered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class DashboardMetricsIT {
    /** labels Prometheus adds to every series it scrapes (target labels), never in /metrics itself */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,"
            + "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");

    private Path dir;
    private RedisServer redis;
    private Socat socat;
    private SnapSimulator mesh;
    private TestBroker broker;
    private JsonNode dashboard;
    private PrometheusText metrics;

    @BeforeAll
    void start() throws Exception {
        dashboard = new ObjectMapper().readTree(
                ReadmeConfigTableTest.projectRoot().resolve("docker/grafana/squall.json").toFile());
        dir = Files.createTempDirectory("dashboard");
        redis = RedisServer.start();
        socat = Socat.start(dir);
        mesh = new SnapSimulator(socat.nodeEnd(), 2, Duration.ofMillis(100), "snapb1").start();
        broker = TestBroker.start("engine=redis", "redis.address=" + redis.uri(), "node.id=dash",
                "snap.port=" + socat.bridgeEnd());
        try (WsTestClient client = broker.connect()) {
            client.call("pubsub", "subscribe", "{\"channel\":\"dash\"}", 1);
            broker.publish("\"dash\"", "{\"n\":1}");
            assertThat(client.next().at("/message/channel").asText()).isEqualTo("dash");
            assertThat(client.call("pubsub", "no_such_command", "{}", 2).at("/message/type").asText())
                    .isEqualTo("error");
            client.send("{\"service\":\"no_such_service\",\"message\":{}}"); // a frame refused before any service
            assertThat(client.next().at("/message/type").asText()).isEqualTo("error");
        }
        System.gc(); // the JVM's GC pause timer appears with the first collection
        Await.until("the SNAP link is up and frames came in", Duration.ofSeconds(20), () -> {
            metrics = new PrometheusText(broker.get("/metrics").body());
            return metrics.value("snap_link_up").orElse(0) == 1 && metrics.counter("snap_frames_in_total") > 0
                    && metrics.has("jvm_gc_pause_seconds_count")
                    && metrics.counter("broker_connections_closed_total", "transport", "ws", "code", "1000") > 0;
        });
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closing : new AutoCloseable[] {broker, mesh, socat, redis}) {
            try {
                if (closing != null) {
                    closing.close();
                }
            } catch (Exception e) {
                // go on closing the rest
            }
        }
    }

    @Test
    void every_metric_and_label_the_dashboard_queries_exists_in_metrics() {
        List<String> missing = new ArrayList<>();
        List<String> expressions = expressions();
        assertThat(expressions).hasSizeGreaterThan(30);
        for (String expr : expressions) {
            Matcher values = LABEL_VALUES.matcher(expr);
            if (values.matches()) {
                checkLabel(values.group(1), values.group(2), expr, missing);
                continue;
            }
            PromQlUses uses = PromQlUses.of(expr.replace("$__rate_interval", "1m").replace("$instance", ".*"));
            assertThat(uses.selectors()).as("metrics read by %s", expr).isNotEmpty();
            for (PromQlUses.Selector selector : uses.selectors()) {
                if (!metrics.has(selector.metric())) {
                    missing.add("metric " + selector.metric() + " (in " + expr + ")");
                    continue;
                }
                selector.labels().forEach(label -> checkLabel(selector.metric(), label, expr, missing));
                selector.values().forEach((label, value) -> {
                    if (!TARGET_LABELS.contains(label) && metrics.samples().stream().noneMatch(s ->
                            s.name().equals(selector.metric()) && value.equals(s.labels().get(label)))) {
                        missing.add("value " + label + "=\"" + value + "\" of " + selector.metric() + " (in " + expr
                                + ")");
                    }
                });
            }
            for (String label : uses.groupingLabels()) {
                boolean found = TARGET_LABELS.contains(label) || uses.selectors().stream().anyMatch(selector ->
                        metrics.samples().stream().anyMatch(s -> s.name().equals(selector.metric())
                                && s.labels().containsKey(label)));
                if (!found) {
                    missing.add("label " + label + " grouped by (in " + expr + ")");
                }
            }
        }
        assertThat(missing).as("what the dashboard queries but /metrics does not have").isEmpty();
    }

    @Test
    void the_dashboard_is_importable_with_a_prometheus_data_source_and_a_node_variable() {
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        assertThat(dashboard.at("/__inputs/0/name").asText()).isEqualTo("DS_PROMETHEUS");
        Set<String> variables = new LinkedHashSet<>();
        dashboard.at("/templating/list").forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).contains("DS_PROMETHEUS", "instance");
        List<String> rows = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                rows.add(panel.path("title").asText());
            } else {
                assertThat(panel.at("/datasource/uid").asText()).as(panel.path("title").asText())
                        .isEqualTo("${DS_PROMETHEUS}");
                panel.path("targets").forEach(t -> assertThat(t.path("expr").asText())
                        .as(panel.path("title").asText()).contains("instance=~\"$instance\""));
            }
        }
        assertThat(rows).containsExactly("Connections", "Messages", "Latency", "Errors & closes", "Event loop", "JVM",
                "SNAP", "Cluster / Redis");
    }

    @Test
    void latency_panels_read_histogram_buckets() {
        assertThat(expressions()).filteredOn(e -> e.contains("histogram_quantile"))
                .allMatch(e -> e.contains("_bucket{") && e.contains("by (le"))
                .anyMatch(e -> e.contains("broker_pubsub_delivery_latency_seconds_bucket"))
                .anyMatch(e -> e.contains("broker_backend_request_duration_seconds_bucket"));
        assertThat(metrics.samples()).anyMatch(s -> s.name().equals("broker_pubsub_delivery_latency_seconds_bucket")
                && Map.of("le", "0.001", "service", "pubsub").entrySet().stream()
                        .allMatch(e -> e.getValue().equals(s.labels().get(e.getKey()))));
    }

    private void checkLabel(String metric, String label, String expr, List<String> missing) {
        if (TARGET_LABELS.contains(label)) {
            return;
        }
        if (!metrics.has(metric)) {
            missing.add("metric " + metric + " (in " + expr + ")");
        } else if (metrics.samples().stream().noneMatch(s -> s.name().equals(metric) && s.labels().containsKey(label))) {
            missing.add("label " + label + " of " + metric + " (in " + expr + ")");
        }
    }

    /** Every PromQL expression of the dashboard: panel targets and query variables. */
    private List<String> expressions() {
        List<String> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panel.path("targets").forEach(t -> all.add(t.path("expr").asText()));
            panel.path("panels").forEach(inner -> inner.path("targets").forEach(t -> all.add(t.path("expr").asText())));
        }
        dashboard.at("/templating/list").forEach(v -> {
            if (v.path("type").asText().equals("query")) {
                all.add(v.at("/query/query").asText());
            }
        });
        return all;
    }
}
