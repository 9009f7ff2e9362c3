package io.squall.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.snap.ReadMode;
import io.squall.snap.SnapBridgeConfig;
import io.squall.snap.link.SerialSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapConfigReaderTest {

    private static ServerConfig load(String... args) {
        return ConfigLoader.load(args, Map.of());
    }

    @Test
    void the_bridge_is_off_unless_a_port_is_configured() {
        assertThat(load().snap()).isEmpty();
    }

    @Test
    void a_port_alone_gives_the_documented_defaults() {
        SnapBridgeConfig snap = load("--snap.port=/dev/snap1").snap().orElseThrow();

        assertThat(snap).isEqualTo(SnapBridgeConfig.defaults(SerialSettings.of("/dev/snap1", 38400)));
    }

    @Test
    void every_key_is_read() {
        SnapBridgeConfig snap = load("--snap.port=/dev/ttyUSB0", "--snap.baud=115200", "--snap.data.bits=7",
                "--snap.parity=even", "--snap.stop.bits=2", "--snap.write.timeout=1s", "--snap.codec=line",
                "--snap.channel.template=mesh/{kind}/{src}", "--snap.all.channel=", "--snap.nodes.channel=n",
                "--snap.link.channel=l", "--snap.node.timeout=5m", "--snap.max.nodes=10", "--snap.poll.interval=10ms",
                "--snap.reconnect.min=1s", "--snap.reconnect.max=30s", "--snap.host.address=00.00.01",
                "--snap.service=mesh", "--snap.public.functions=setLed, ping", "--snap.send.queue=8",
                "--snap.read.mode=POLL", "--snap.owner.ttl=4s")
                .snap().orElseThrow();

        assertThat(snap.serial()).isEqualTo(new SerialSettings("/dev/ttyUSB0", 115200, 7, SerialSettings.Parity.EVEN,
                SerialSettings.StopBits.TWO, Duration.ofSeconds(1)));
        assertThat(snap).isEqualTo(new SnapBridgeConfig(snap.serial(), "line", "mesh/{kind}/{src}", "", "n", "l",
                Duration.ofMinutes(5), 10, Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(30), 1,
                "mesh", List.of("setLed", "ping"), 8, ReadMode.POLL, Duration.ofSeconds(4)));
    }

    @Test
    void bad_values_name_their_key() {
        assertThatThrownBy(() -> load("--snap.port=/dev/x", "--snap.parity=maybe")).hasMessageContaining("snap.parity");
        assertThatThrownBy(() -> load("--snap.port=/dev/x", "--snap.stop.bits=3")).hasMessageContaining("snap.stop.bits");
        assertThatThrownBy(() -> load("--snap.port=/dev/x", "--snap.host.address=12"))
                .hasMessageContaining("snap.host.address");
        assertThatThrownBy(() -> load("--snap.port=/dev/x", "--snap.channel.template=snap/{node}"))
                .hasMessageContaining("snap.channel.template");
        assertThatThrownBy(() -> load("--snap.port=/dev/x", "--snap.reconnect.min=5s", "--snap.reconnect.max=1s"))
                .hasMessageContaining("snap.reconnect.max");
        assertThatThrownBy(() -> load("--snap.port=/dev/x", "--snap.baud=fast")).hasMessageContaining("snap.baud");
        assertThatThrownBy(() -> load("--snap.port=/dev/x", "--snap.owner.ttl=100ms"))
                .hasMessageContaining("snap.owner.ttl");
        assertThatThrownBy(() -> load("--snap.port=/dev/x", "--snap.read.mode=select"))
                .hasMessageContaining("snap.read.mode").hasMessageContaining("auto, readiness or poll");
        assertThatThrownBy(() -> load("--snap.port=/dev/x", "--snap.codec=com.example.Missing"))
                .hasMessageContaining("snap.codec");
        // found by ConfigFuzzTest: the check in the serial settings named no key
        assertThatThrownBy(() -> load("--snap.port=/dev/x", "--snap.write.timeout=0s"))
                .hasMessageContaining("snap.write.timeout");
        assertThatThrownBy(() -> load("--snap.port=/dev/x", "--snap.max.nodes=0")).hasMessageContaining("snap.max.nodes");
    }
}
