package io.squall.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.squall.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}
