package io.squall.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.Container.ExecResult;

/**
 * The README's serial-device recipe for the SNAP bridge ({@code --device ...:/dev/snap1 --group-add dialout}) on the
 * non-root image. The device is a character node made for the test, owned by group dialout with mode 0660 like a
 * real serial port, behind which sits the null device (so writing is harmless). The checks run through the base
 * image's shell (busybox in the local base).
 */
@ExtendWith(DockerRequired.class)
class SerialDeviceIT {
    private static final String IN_CONTAINER = "/dev/snap1";
    private static final String DIALOUT_GID = "20";
    private static Path dir;
    private static Path node;

    @BeforeAll
    static void makeDeviceNode() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("squall-device");
        node = dir.resolve("snap1");
        run("mknod", "-m", "0660", node.toString(), "c", "1", "3");
        run("chgrp", DIALOUT_GID, node.toString());
    }

    @AfterAll
    static void removeDeviceNode() throws IOException {
        if (node != null) {
            Files.deleteIfExists(node);
        }
        if (dir != null) {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void with_the_documented_flags_the_non_root_broker_can_read_and_write_the_device() throws Exception {
        try (SquallContainer squall = withDevice(List.of("dialout"))) {
            squall.start();

            ExecResult io = squall.execInContainer("sh", "-c", "cat " + IN_CONTAINER + " && echo probe > " + IN_CONTAINER);

            assertThat(io.getExitCode()).as(io.getStderr()).isZero();
        }
    }

    @Test
    void without_the_group_the_device_is_out_of_the_non_root_broker_s_reach() throws Exception {
        try (SquallContainer squall = withDevice(List.of())) {
            squall.start();

            ExecResult io = squall.execInContainer("sh", "-c", "echo probe > " + IN_CONTAINER);

            assertThat(io.getExitCode()).isNotZero();
            assertThat(io.getStderr()).contains("Permission denied");
        }
    }

    private static SquallContainer withDevice(List<String> groups) {
        return new SquallContainer().withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withDevices(Device.parse(node + ":" + IN_CONTAINER)).withGroupAdd(groups));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (making a device node needs root "
                    + "on the Docker host, as in CI): " + new String(process.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
    }
}
