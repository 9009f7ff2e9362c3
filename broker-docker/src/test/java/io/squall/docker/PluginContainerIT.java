package io.squall.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.PluginJars;
import io.squall.server.testing.WsTestClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.utility.MountableFile;

/** A plugin jar mounted into the image's plugins directory, configured by SQUALL_PLUGIN_* variables. */
@ExtendWith(DockerRequired.class)
class PluginContainerIT {
    private static final String PLUGIN = """
            package demo;

            import io.squall.api.*;
            import java.util.List;
            public final class EchoPlugin implements SquallPlugin {
                public String name() { return "echo"; }

                public List<PluginSetting> settings() {
                    return List.of(new PluginSetting("prefix", PluginSetting.Type.TEXT, "", "Put before each echo."));
                }

                public List<ServiceBinding> services(PluginConfig config) {
                    String prefix = config.text("prefix");
                    return List.of(ServiceBinding.publicService(new SquallService() {
                        public String name() { return "echo"; }

                        public void setUp(ServiceSetup setup) {
                            setup.command("echo", Params.class, (call, params) -> prefix + params.text());
                        }
                    }));
                }

                public record Params(String text) {}
            }
            """;

    @TempDir
    Path plugins;

    @Test
    void aPluginJarInThePluginsDirectoryRunsConfiguredByVariables() throws IOException {
        PluginJars.build(plugins.resolve("echo.jar"), "demo.EchoPlugin", Map.of("demo.EchoPlugin", PLUGIN));
        // copied in rather than bind-mounted: the Docker daemon may not share this file system (a path to bind is
        // the daemon's); read-only, as an operator mounts it
        try (SquallContainer squall = new SquallContainer()
                .withCopyFileToContainer(MountableFile.forHostPath(plugins.resolve("echo.jar"), 0444),
                        "/opt/squall/plugins/echo.jar")
                .withEnv("SQUALL_PLUGIN_ECHO_PREFIX", "echo:")) {
            squall.start();
            assertThat(String.join("\n", squall.stdout())).contains("plugin 'echo' (echo.jar)");
            try (WsTestClient client = WsTestClient.connect(squall.wsUri(), Map.of())) {
                assertThat(client.call("echo", "echo", "{\"text\":\"hi\"}", 1).path("message").path("data").asText())
                        .isEqualTo("echo:hi");
            }
        }
        assertThat(Files.exists(plugins.resolve("echo.jar"))).isTrue();
    }
}
