package io.squall.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Volume;
import io.squall.server.testing.Await;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * docker/compose.yaml's {@code prometheus} profile: the squall service and Prometheus started as the file describes
 * them (images, command, the configuration mounted from docker/prometheus/, hardening; read from the file, the Compose
 * CLI is not needed) on one network: Prometheus has the node's target up and a {@code broker_connections} series,
 * asked through its HTTP API.
 */
@ExtendWith(DockerRequired.class)
class PrometheusComposeIT {
    static final String LOCAL_PROMETHEUS_REPOSITORY = "squall/prometheus";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ComposeFile compose;
    private static Network network;
    private static SquallContainer squall;
    private static GenericContainer<?> prometheus;

    @BeforeAll
    static void start() {
        String image = System.getProperty("squall.docker.prometheus.image", LOCAL_PROMETHEUS_REPOSITORY + ":local");
        if (image.startsWith(LOCAL_PROMETHEUS_REPOSITORY) && !imageExists(image)) {
            throw new IllegalStateException("The Prometheus test runs the image " + image + ", which is missing. Build "
                    + "it without any registry with docker/build-prometheus-image.sh (cached). To leave the container "
                    + "tests out: -Dsquall.docker.skip=true.");
        }
        compose = ComposeFile.read(SquallImage.root().resolve("docker").resolve("compose.yaml"), Map.of(
                "SQUALL_PROMETHEUS_IMAGE", image, "SQUALL_BASE_IMAGE", SquallImage.baseImage()));
        network = Network.newNetwork();
        long started = System.nanoTime();
        squall = hardened(new SquallContainer(), "squall").withEnv(compose.environment("squall"))
                .withEnv("SQUALL_BACKEND_KEY", SquallContainer.KEY);
        prometheus = hardened(new GenericContainer<>(DockerImageName.parse(compose.image("prometheus"))),
                "prometheus");
        prometheus.withCommand(compose.command("prometheus").toArray(String[]::new));
        prometheus.withExposedPorts(9090);
        prometheus.waitingFor(Wait.forHttp("/-/ready").forPort(9090).forStatusCode(200)
                .withStartupTimeout(Duration.ofSeconds(30)));
        Startables.deepStart(squall, prometheus).join();
        System.out.println("PrometheusComposeIT: the node and Prometheus started and ready in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    /** On the test's network under its service name, with the service's binds and hardening from the file. */
    private static <T extends GenericContainer<?>> T hardened(T container, String service) {
        JsonNode definition = compose.service(service);
        Map<String, String> tmpfs = new HashMap<>();
        compose.strings(service, "tmpfs").forEach(entry -> {
            int colon = entry.indexOf(':');
            tmpfs.put(colon < 0 ? entry : entry.substring(0, colon), colon < 0 ? "" : entry.substring(colon + 1));
        });
        Capability[] dropped = compose.strings(service, "cap_drop").stream().map(Capability::valueOf)
                .toArray(Capability[]::new);
        // binds set on the create command: Testcontainers' own file-system bind would first probe mounting with an
        // alpine container, which needs a registry
        List<Bind> binds = compose.binds(service).stream().map(bind -> new Bind(bind.host().toString(),
                new Volume(bind.container()), bind.readOnly() ? AccessMode.ro : AccessMode.rw)).toList();
        container.withNetwork(network);
        container.withNetworkAliases(service);
        container.withTmpFs(tmpfs);
        container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withReadonlyRootfs(definition.path("read_only").asBoolean(false))
                .withCapDrop(dropped).withSecurityOpts(compose.strings(service, "security_opt")).withBinds(binds));
        return container;
    }

    @AfterAll
    static void stop() {
        try {
            for (GenericContainer<?> container : new GenericContainer<?>[] {prometheus, squall}) {
                if (container != null) {
                    container.stop();
                }
            }
        } finally {
            if (network != null) {
                network.close();
            }
        }
    }

    @Test
    void prometheus_scrapes_the_node_and_has_its_broker_series() {
        long started = System.nanoTime();
        Await.until("Prometheus has the node's target up", Duration.ofSeconds(20), () -> {
            JsonNode targets = api("/api/v1/targets?state=active").at("/data/activeTargets");
            return targets.size() == 1 && targets.get(0).path("health").asText().equals("up")
                    && targets.get(0).at("/labels/instance").asText().equals("squall:8081");
        });
        Await.until("a broker_connections series", Duration.ofSeconds(20), () -> {
            JsonNode result = api("/api/v1/query?query=" + URLEncoder.encode("broker_connections{transport=\"ws\"}",
                    StandardCharsets.UTF_8)).at("/data/result");
            return result.size() == 1 && result.get(0).at("/metric/instance").asText().equals("squall:8081");
        });
        JsonNode buckets = api("/api/v1/query?query=" + URLEncoder.encode(
                "count(broker_loop_task_duration_seconds_bucket)", StandardCharsets.UTF_8)).at("/data/result/0/value/1");
        assertThat(buckets.asInt()).as("the loop's latency buckets, +Inf included").isEqualTo(17);
        System.out.println("PrometheusComposeIT: target up and series queried after "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    private static JsonNode api(String pathAndQuery) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + prometheus.getHost()
                    + ":" + prometheus.getMappedPort(9090) + pathAndQuery)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return MAPPER.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException("Prometheus API " + pathAndQuery + " failed", e);
        }
    }

    private static boolean imageExists(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
