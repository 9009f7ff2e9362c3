package io.squall.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.squall.api.JsonKey;
import io.squall.redis.RedisConfig;
import io.squall.server.config.ConfigLoader;
import io.squall.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The promises docker/compose.yaml and docker/Dockerfile make that no container test sees (no Docker needed). */
class DeploymentFilesTest {
    private static final Path DOCKER = Path.of("..", "docker");

    private static JsonNode squallService() throws IOException {
        return service("squall");
    }

    private static JsonNode service(String name) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("compose.yaml").toFile())
                .path("services").path(name);
    }

    @Test
    void compose_publishes_the_private_port_on_the_host_loopback_only() throws IOException {
        List<String> ports = new ArrayList<>();
        squallService().path("ports").forEach(port -> ports.add(port.asText()));

        assertThat(ports).contains("8080:8080", "127.0.0.1:8081:8081")
                .allMatch(port -> !port.endsWith(":8081") || port.startsWith("127.0.0.1:"));
    }

    @Test
    void compose_takes_the_backend_key_from_the_environment_and_never_holds_one() throws IOException {
        JsonNode environment = squallService().path("environment");

        assertThat(environment.path("SQUALL_BACKEND_KEY").asText()).isEqualTo("${SQUALL_BACKEND_KEY:-}");
        assertThat(Files.readString(DOCKER.resolve("config/squall.properties"), StandardCharsets.UTF_8))
                .doesNotContainPattern("(?m)^\\s*backend\\.key");
    }

    @Test
    void the_mounted_config_file_is_one_squall_accepts() throws IOException {
        JsonNode service = squallService();
        String mount = service.path("volumes").get(0).asText();
        String configPath = service.path("environment").path("SQUALL_CONFIG").asText();

        assertThat(mount).isEqualTo("./config:/etc/squall:ro");
        assertThat(configPath).startsWith("/etc/squall/");
        Path hostFile = DOCKER.resolve("config").resolve(configPath.substring("/etc/squall/".length()));
        assertThat(hostFile).isRegularFile();
        assertThatCode(() -> ConfigLoader.load(new String[0], Map.of("SQUALL_CONFIG", hostFile.toString())))
                .doesNotThrowAnyException();
    }

    @Test
    void the_dockerfile_takes_its_base_as_an_argument_and_starts_java_in_exec_form() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"), StandardCharsets.UTF_8);

        // a "# syntax=" line makes BuildKit fetch a frontend image from a registry
        assertThat(dockerfile).doesNotContainPattern("(?mi)^#\\s*syntax=")
                .containsPattern("(?m)^ARG BASE_IMAGE=eclipse-temurin:\\S+$")
                .containsPattern("(?m)^FROM \\$\\{BASE_IMAGE}$")
                .containsPattern("(?m)^ENTRYPOINT \\[\"java\",")
                .doesNotContain("SQUALL_BACKEND_KEY=");
    }

    @Test
    void the_snap_demo_runs_only_in_its_profile_as_hardened_as_the_squall_service_and_on_its_ports() throws IOException {
        JsonNode demo = service("snap-demo");
        JsonNode squall = squallService();

        assertThat(demo.path("profiles").toString()).isEqualTo("[\"snap-demo\"]");
        assertThat(squall.has("profiles")).isFalse();
        assertThat(demo.path("build").path("dockerfile").asText()).isEqualTo("docker/snap-demo/Dockerfile");
        for (String key : List.of("ports", "volumes", "read_only", "tmpfs", "cap_drop", "security_opt")) {
            assertThat(demo.path(key)).as(key).isEqualTo(squall.path(key));
        }
        assertThat(demo.path("environment").path("SQUALL_BACKEND_KEY").asText()).isEqualTo("${SQUALL_BACKEND_KEY:-}");
    }

    @Test
    void the_image_loads_the_serial_library_s_native_code_from_the_image_not_from_tmp() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"), StandardCharsets.UTF_8);

        assertThat(dockerfile).contains("\"io.squall.snap.link.NativeLibraryExport\", \"/opt/squall/lib\"]")
                .containsPattern("(?s)ENTRYPOINT \\[[^]]*\"-DjSerialComm.library.path=/opt/squall/lib\"");
    }

    // docker/compose.cluster.yaml, which ClusterComposeIT starts service by service from its images, commands and
    // environments: what the test takes for granted, and what makes the file a working two-node cluster

    private static final List<String> NODES = List.of("squall-1", "squall-2");

    private static ComposeFile cluster() {
        return ComposeFile.read(DOCKER.resolve(ComposeFile.CLUSTER), Map.of("SQUALL_BACKEND_KEY", "key-for-the-test-0123"));
    }

    private static JsonNode clusterService(String name) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve(ComposeFile.CLUSTER).toFile())
                .path("services").path(name);
    }

    @Test
    void the_prometheus_profile_scrapes_every_node_of_each_file_and_is_hardened_as_the_node() throws IOException {
        Map<String, List<String>> nodesByFile = Map.of("compose.yaml", List.of("squall"), ComposeFile.CLUSTER, NODES);
        for (var entry : nodesByFile.entrySet()) {
            JsonNode file = new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve(entry.getKey()).toFile());
            JsonNode prometheus = file.path("services").path("prometheus");
            assertThat(prometheus.path("profiles").toString()).as(entry.getKey()).isEqualTo("[\"prometheus\"]");
            for (String key : List.of("read_only", "cap_drop", "security_opt")) {
                assertThat(prometheus.path(key)).as(entry.getKey() + " " + key).isEqualTo(squallService().path(key));
            }
            assertThat(prometheus.path("ports").toString()).as("loopback only").isEqualTo("[\"127.0.0.1:9090:9090\"]");
            String mount = prometheus.path("volumes").get(0).asText();
            String config = Files.readString(DOCKER.resolve(mount.substring(2, mount.indexOf(':'))));
            List<String> targets = entry.getValue().stream().map(node -> "\"" + node + ":8081\"").toList();
            assertThat(config).as(mount).contains("targets: [" + String.join(", ", targets) + "]");
        }
    }

    @Test
    void the_cluster_file_has_redis_and_two_nodes_built_and_hardened_as_the_single_node() throws IOException {
        JsonNode squall = squallService();

        assertThat(cluster().serviceNames()).containsExactly("redis", "squall-1", "squall-2", "prometheus");
        for (String node : NODES) {
            JsonNode service = clusterService(node);
            assertThat(service.path("image").asText()).as(node).isEqualTo(squall.path("image").asText());
            // ClusterComposeIT runs SquallImage, which builds what compose.yaml's squall service builds
            for (String key : List.of("build", "volumes", "read_only", "tmpfs", "cap_drop", "security_opt",
                    "stop_grace_period")) {
                assertThat(service.path(key)).as(node + " " + key).isEqualTo(squall.path(key));
            }
            assertThat(service.path("depends_on").toString()).as(node).isEqualTo("[\"redis\"]");
            assertThat(service.has("profiles")).isFalse();
        }
        JsonNode redis = clusterService("redis");
        for (String key : List.of("read_only", "tmpfs", "cap_drop", "security_opt")) {
            assertThat(redis.path(key)).as("redis " + key).isEqualTo(squall.path(key));
        }
    }

    @Test
    void the_cluster_runs_redis_from_the_image_the_container_test_runs_and_reachable_on_the_network()
            throws IOException {
        ComposeFile cluster = cluster();

        assertThat(clusterService("redis").path("image").asText())
                .isEqualTo("${SQUALL_REDIS_IMAGE:-" + ClusterComposeIT.LOCAL_REDIS_REPOSITORY + ":local}");
        assertThat(cluster.command("redis")).startsWith("redis-server").containsSequence("--protected-mode", "no");
        assertThat(clusterService("redis").has("ports")).as("Redis published on the host").isFalse();
        assertThat(Files.readString(Path.of("..", "docker", "build-redis-image.sh"), StandardCharsets.UTF_8))
                .contains("REPO=" + ClusterComposeIT.LOCAL_REDIS_REPOSITORY + "\n");
    }

    @Test
    void the_two_nodes_share_redis_the_backend_key_and_the_channel_rules_and_differ_in_node_id_and_ports()
            throws IOException {
        ComposeFile cluster = cluster();
        Map<String, String> first = cluster.environment("squall-1");
        Set<String> nodeIds = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();

        for (String node : NODES) {
            Map<String, String> environment = new HashMap<>(cluster.environment(node));
            assertThat(clusterService(node).path("environment").path("SQUALL_BACKEND_KEY").asText())
                    .as("a required, shared key").startsWith("${SQUALL_BACKEND_KEY:?");
            assertThat(environment).containsEntry("SQUALL_ENGINE", "redis")
                    .containsEntry("SQUALL_REDIS_ADDRESS", "redis://redis:6379");
            nodeIds.add(environment.get("SQUALL_NODE_ID"));
            Map<String, String> others = new HashMap<>(environment);
            others.remove("SQUALL_NODE_ID");
            Map<String, String> firstOthers = new HashMap<>(first);
            firstOthers.remove("SQUALL_NODE_ID");
            assertThat(others).as(node + " environment but its node id").isEqualTo(firstOthers);

            // the configuration Squall reads in the container: the mounted file and the service's environment
            environment.put("SQUALL_CONFIG", DOCKER.resolve("config").resolve(
                    environment.get("SQUALL_CONFIG").substring("/etc/squall/".length())).toString());
            ServerConfig config = ConfigLoader.load(new String[0], environment);
            RedisConfig redis = config.engine().redis().orElseThrow();
            assertThat(redis.addresses()).containsExactly("redis://redis:6379");
            assertThat(redis.nodeId()).isEqualTo(environment.get("SQUALL_NODE_ID"));
            assertThat(config.engine().channels().of(JsonKey.of(ClusterComposeIT.HISTORY_CHANNEL_PREFIX + "restart"))
                    .history().enabled()).as("history on the channels ClusterComposeIT recovers").isTrue();

            for (String port : cluster.strings(node, "ports")) {
                assertThat(port).as("private port on the host loopback only")
                        .matches(p -> !p.endsWith(":8081") || p.startsWith("127.0.0.1:"));
                hostPorts.add(port.substring(0, port.lastIndexOf(':')));
            }
        }
        assertThat(nodeIds).doesNotContain("", null).hasSize(2);
        assertThat(hostPorts).as("published host ports").hasSize(4);
    }
}
