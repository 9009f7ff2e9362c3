package io.squall.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.Await;
import io.squall.server.testing.JarProcess;
import io.squall.server.testing.WsTestClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** This module's jar dropped into plugins.dir of the broker's own jar, run as a process, as a user deploys it. */
class ExamplesPluginIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path plugins;

    private void installPlugin() throws IOException {
        Path jar = Path.of(System.getProperty("examples.jar"));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
    }

    @Test
    void theExamplesRunAsAPluginOfTheBrokersJar() throws IOException {
        installPlugin();
        int publicPort = JarProcess.freePort();
        try (JarProcess broker = JarProcess.start(Map.of("SQUALL_PLUGIN_EXAMPLES_SLOW_WORK", "1s"),
                "--public.host=127.0.0.1", "--public.port=" + publicPort, "--private.port=" + JarProcess.freePort(),
                "--backend.key=examples-test-key-0123456789", "--shutdown.timeout=2s", "--plugins.dir=" + plugins,
                "--plugin.examples.device.read.time=20ms")) {
            broker.awaitLine("Squall ready", START);
            assertThat(broker.output()).contains("plugin 'examples'");
            WsTestClient client = WsTestClient.connect(URI.create("ws://127.0.0.1:" + publicPort + "/ws"), Map.of());
            Await.until("device readings", () -> client.call("device", "readings", "{}", 1).path("message")
                    .path("data").size() > 0);
            assertThat(client.call("slow", "ping", "{}", 2).path("message").path("data").asText()).isEqualTo("pong");
            JsonNode slow = client.call("slow", "slow", "{}", 3).path("message");
            assertThat(slow.path("data").asText()).isEqualTo("done");
            client.close();
        }
    }

    @Test
    void aBadKeyOfThePluginStopsTheBrokersStartNamingIt() throws IOException {
        installPlugin();
        try (JarProcess broker = JarProcess.start(Map.of(), "--public.host=127.0.0.1",
                "--public.port=" + JarProcess.freePort(), "--private.port=" + JarProcess.freePort(),
                "--plugins.dir=" + plugins, "--plugin.examples.slow.threads=many")) {
            int exit = broker.awaitExit(START);
            assertThat(exit).as(broker.output()).isEqualTo(2);
            assertThat(broker.output()).contains("plugin 'examples'").contains("plugin.examples.slow.threads");
        }
    }
}
