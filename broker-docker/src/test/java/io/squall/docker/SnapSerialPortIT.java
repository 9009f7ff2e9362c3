package io.squall.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Volume;
import io.squall.server.testing.Await;
import io.squall.server.testing.WsTestClient;
import io.squall.snap.codec.SnapCodecs;
import io.squall.snap.sim.SnapSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Squall image itself (no socat, no demo script) bridging a serial port, hardened as compose.yaml runs it:
 * read-only root, a {@code noexec} {@code /tmp} tmpfs, no capabilities, non-root with the port's group. The port is
 * one end of a socat pty pair on the Docker host, made like a serial device ({@code root:dialout}, mode 0660); the
 * SNAP network simulator runs in this JVM on the other end. It is bind-mounted at {@code /dev/snap1}: the kernel
 * opens a pty's slave only through its own devpts inode, so the node {@code --device} makes for it answers EIO,
 * whereas a real UART or USB adapter works with {@code --device} (SerialDeviceIT checks that recipe's permissions).
 * jSerialComm must load its native library from the image: unpacked to the noexec {@code /tmp}, it cannot load.
 */
@ExtendWith(DockerRequired.class)
class SnapSerialPortIT {
    private static final String DIALOUT = "dialout";
    private static Path dir;
    private static Process socat;
    private static SnapSimulator simulator;
    private static SquallContainer squall;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("squall-snap-port");
        Path bridge = dir.resolve("bridge");
        Path mesh = dir.resolve("mesh");
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,perm=0660,group=" + DIALOUT + ",link=" + bridge,
                "pty,raw,echo=0,link=" + mesh).redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile())
                .start();
        Await.until("socat's pty pair", Duration.ofSeconds(20), () -> Files.exists(bridge) && Files.exists(mesh));

        // a bind set on the create command: Testcontainers' own file binds first probe mounting with a helper image
        Bind port = new Bind(bridge.toRealPath().toString(), new Volume("/dev/snap1"));
        squall = new SquallContainer()
                .withEnv("SQUALL_SNAP_PORT", "/dev/snap1")
                .withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,nodev,size=64m"))
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true)
                        .withBinds(port).withCapDrop(Capability.ALL).withSecurityOpts(List.of("no-new-privileges:true"))
                        .withGroupAdd(List.of(DIALOUT)));
        squall.start();
        simulator = new SnapSimulator(mesh, 2, Duration.ofMillis(300), SnapCodecs.SNAPB1).start();
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException {
        if (squall != null) {
            squall.stop();
        }
        // socat first: a simulator write blocked on a full pty (nobody reading the other end) then fails and
        // releases the lock close() needs
        if (socat != null) {
            socat.destroy();
            socat.waitFor(10, TimeUnit.SECONDS);
        }
        if (simulator != null) {
            simulator.close();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void the_bridge_s_link_comes_up_on_the_port_with_the_native_library_from_the_image() {
        Await.until("snap_link_up 1.0 on /metrics", Duration.ofSeconds(60),
                () -> squall.get("/metrics").body().contains("snap_link_up 1.0"));

        assertThat(String.join("\n", squall.stdout())).contains("SNAP link up on /dev/snap1")
                .doesNotContain("jSerialComm/2.");
    }

    @Test
    void node_status_publications_reach_a_websocket_subscriber() {
        try (WsTestClient browser = WsTestClient.connect(squall.wsUri(), Map.of())) {
            browser.call("pubsub", "subscribe", "{\"channel\":\"snap/all\"}", 1);

            JsonNode rpc = browser.next().path("message").path("message");

            assertThat(rpc.path("function").asText()).isEqualTo("status");
            assertThat(rpc.path("src").asText()).matches("5de66[34]");
        }
    }
}
