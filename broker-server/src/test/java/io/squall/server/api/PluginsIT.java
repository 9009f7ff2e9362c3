package io.squall.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.server.Squall;
import io.squall.server.testing.PluginJars;
import io.squall.server.testing.WsTestClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins in plugins.dir: found with ServiceLoader, configured with plugin.<name>.*, refused by name when broken. */
class PluginsIT {
    private static final String PLUGIN = """
            package demo;

            import io.squall.api.*;
            import java.util.List;

            public final class HelloPlugin implements SquallPlugin {
                public HelloPlugin() {
                    if (Boolean.getBoolean("demo.fail")) {
                        throw new IllegalStateException("the demo plugin refuses to be built");
                    }
                }

                public String name() { return "hello"; }

                public List<PluginSetting> settings() {
                    return List.of(
                            new PluginSetting("greeting", PluginSetting.Type.TEXT, "Hello", "The word of greeting."),
                            new PluginSetting("repeat", PluginSetting.Type.INTEGER, "1", "How many times."));
                }

                public List<ServiceBinding> services(PluginConfig config) {
                    if (config.integer("repeat") < 1) {
                        throw new IllegalArgumentException("plugin.hello.repeat must be at least 1");
                    }
                    return List.of(ServiceBinding.publicService(
                            new HelloService(config.text("greeting"), config.integer("repeat"))));
                }
            }
            """;
    private static final String SERVICE = """
            package demo;

            import io.squall.api.*;

            public final class HelloService implements SquallService {
                public record Params(String name) {}

                private final String greeting;
                private final int repeat;

                HelloService(String greeting, int repeat) {
                    this.greeting = greeting;
                    this.repeat = repeat;
                }

                public String name() { return "hello"; }

                public void setUp(ServiceSetup setup) {
                    setup.command("greet", Params.class, (call, params) ->
                            (greeting + ", " + params.name() + "! ").repeat(repeat).trim());
                }
            }
            """;

    @TempDir
    Path plugins;

    private Path helloJar() {
        return PluginJars.build(plugins.resolve("hello.jar"), "demo.HelloPlugin",
                Map.of("demo.HelloPlugin", PLUGIN, "demo.HelloService", SERVICE));
    }

    private Squall.Builder broker() {
        return Squall.builder().args("--public.host=127.0.0.1", "--public.port=0", "--private.host=127.0.0.1",
                "--private.port=0", "--backend.key=plugin-test-key-0123456789", "--shutdown.timeout=2s",
                "--plugins.dir=" + plugins);
    }

    @Test
    void aPluginsServiceRunsWithItsConfiguration() {
        helloJar();
        try (Squall squall = broker().set("plugin.hello.greeting", "Bonjour").set("plugin.hello.repeat", "2").start();
                WsTestClient client = WsTestClient.connect(
                        URI.create("ws://127.0.0.1:" + squall.publicPort() + "/ws"), Map.of())) {
            assertThat(client.call("hello", "greet", "{\"name\":\"Ada\"}", 1).path("message").path("data").asText())
                    .isEqualTo("Bonjour, Ada! Bonjour, Ada!");
        }
    }

    @Test
    void aPluginKeyOfTheWrongTypeStopsTheStartNamingIt() {
        helloJar();
        assertThatThrownBy(() -> broker().set("plugin.hello.repeat", "twice").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plugin 'hello' (hello.jar)").hasMessageContaining("plugin.hello.repeat");
        assertThatThrownBy(() -> broker().set("plugin.hello.repeat", "0").start())
                .hasMessageContaining("plugin 'hello' (hello.jar)").hasMessageContaining("at least 1");
    }

    @Test
    void anUndeclaredPluginKeyStopsTheStart() {
        helloJar();
        assertThatThrownBy(() -> broker().set("plugin.hello.colour", "blue").start())
                .hasMessageContaining("plugin 'hello'").hasMessageContaining("unknown key plugin.hello.colour");
        assertThatThrownBy(() -> broker().set("plugin.bye.x", "1").start())
                .hasMessageContaining("plugin.bye.x").hasMessageContaining("no plugin of that name");
    }

    @Test
    void aJarThatIsNotAJarStopsTheStartNamingIt() throws IOException {
        Files.writeString(plugins.resolve("broken.jar"), "not a zip");
        assertThatThrownBy(() -> broker().start()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plugin jar broken.jar cannot be read");
    }

    @Test
    void aPluginWhoseConstructorThrowsStopsTheStartNamingIt() {
        helloJar();
        System.setProperty("demo.fail", "true");
        try {
            assertThatThrownBy(() -> broker().start()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("plugin jar hello.jar").hasMessageContaining("demo.HelloPlugin")
                    .hasMessageContaining("the demo plugin refuses to be built");
        } finally {
            System.clearProperty("demo.fail");
        }
    }

    @Test
    void aPluginKeyWithoutPluginsDirIsRefused() {
        assertThatThrownBy(() -> Squall.builder().set("plugin.hello.repeat", "2").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plugins.dir is empty");
    }
}
