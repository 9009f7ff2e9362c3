package io.squall.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;

/** {@code docker stop} as an operator issues it: SIGTERM to PID 1, then SIGKILL after the stop timeout. */
@ExtendWith(DockerRequired.class)
class ContainerStopIT {
    private static final int STOP_TIMEOUT_SECONDS = 10;

    @Test
    void docker_stop_closes_clients_with_1001_and_the_container_exits_by_itself_before_the_timeout() {
        try (SquallContainer squall = new SquallContainer();
             WsTestClient alice = WsTestClient.connect(startAndUri(squall), Map.of());
             WsTestClient bob = WsTestClient.connect(squall.wsUri(), Map.of())) {
            alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);
            bob.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);
            DockerClient docker = DockerClientFactory.instance().client();

            long stopping = System.nanoTime();
            docker.stopContainerCmd(squall.getContainerId()).withTimeout(STOP_TIMEOUT_SECONDS).exec();
            System.out.println("ContainerStopIT: docker stop returned after "
                    + (System.nanoTime() - stopping) / 1_000_000 + " ms");

            assertThat(alice.awaitClose()).as("alice's close code").isEqualTo(1001);
            assertThat(bob.awaitClose()).as("bob's close code").isEqualTo(1001);
            ContainerState state = docker.inspectContainerCmd(squall.getContainerId()).exec().getState();
            List<String> stdout = squall.stdout();
            // 143 = 128 + SIGTERM: the JVM's normal exit after its shutdown hook; 137 would mean docker had to kill it
            assertThat(state.getExitCodeLong()).as("exit code\n" + String.join("\n", stdout)).isIn(0L, 143L);
            assertThat(state.getOOMKilled()).isFalse();
            assertThat(stdout).anyMatch(line -> line.contains("stopped in"))
                    .noneMatch(line -> line.contains("cut at the deadline"))
                    .noneMatch(line -> line.contains(" WARN  [") || line.contains(" ERROR ["));
            assertThat(squall.stderr()).isEmpty();
        }
    }

    private static URI startAndUri(SquallContainer squall) {
        squall.start();
        return squall.wsUri();
    }
}
