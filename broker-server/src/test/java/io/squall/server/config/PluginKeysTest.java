package io.squall.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plugin.<name>.<key>} from every source, kept for the plugins to check; {@code plugins.dir} read. */
class PluginKeysTest {

    @Test
    void pluginKeysComeFromTheFileTheEnvironmentAndFlagsEachOverridingTheOneBefore(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("squall.properties");
        Files.writeString(file, "plugins.dir=" + dir + "\nplugin.device.read.time=1s\nplugin.device.channel=a\n"
                + "plugin.device.pause=5ms\n");
        ServerConfig config = ConfigLoader.load(new String[] {"--config", file.toString(),
                "--plugin.device.channel=c"}, Map.of("SQUALL_PLUGIN_DEVICE_PAUSE", "7ms",
                "SQUALL_PLUGIN_DEVICE_CHANNEL", "b"));
        assertThat(config.pluginsDir()).contains(dir);
        assertThat(config.pluginSettings()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "plugin.device.read.time", "1s", "plugin.device.channel", "c", "plugin.device.pause", "7ms"));
    }

    @Test
    void noPluginsByDefault() {
        ServerConfig config = ServerConfig.defaults();
        assertThat(config.pluginsDir()).isEmpty();
        assertThat(config.pluginSettings()).isEmpty();
    }

    @Test
    void thePluginsDirVariableIsNotTakenForAPluginKey() {
        ServerConfig config = ConfigLoader.load(new String[0], Map.of("SQUALL_PLUGINS_DIR", "/opt/plugins"));
        assertThat(config.pluginsDir()).contains(Path.of("/opt/plugins"));
        assertThat(config.pluginSettings()).isEmpty();
    }
}
