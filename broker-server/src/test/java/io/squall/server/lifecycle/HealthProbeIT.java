package io.squall.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.JarProcess;
import io.squall.server.testing.TestBroker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The container health check ({@code HealthProbe}) run from the real jar, as Docker runs it. */
class HealthProbeIT {
    private static final String PROBE = "io.squall.server.HealthProbe";
    private static final Duration EXIT = Duration.ofSeconds(20);

    @Test
    void probe_exits_0_when_the_broker_is_ready_and_follows_the_configured_private_port() {
        try (TestBroker broker = TestBroker.start();
             JarProcess probe = JarProcess.startMain(PROBE,
                     Map.of("SQUALL_PRIVATE_PORT", String.valueOf(broker.server().privatePort())))) {
            int exit = probe.awaitExit(EXIT);

            assertThat(exit).as(probe.output()).isZero();
            assertThat(probe.stdout()).singleElement().asString().startsWith("UP: ").contains("200");
        }
    }

    @Test
    void probe_exits_1_naming_the_reason_when_nothing_listens() {
        int port = JarProcess.freePort();
        try (JarProcess probe = JarProcess.startMain(PROBE, Map.of(), "--private.port=" + port)) {
            int exit = probe.awaitExit(EXIT);

            assertThat(exit).as(probe.output()).isEqualTo(1);
            assertThat(probe.stdout()).singleElement().asString().startsWith("DOWN: ").contains("Connection refused");
        }
    }

    @Test
    void probe_exits_1_when_the_broker_is_shutting_down() {
        TestBroker broker = TestBroker.start();
        int port = broker.server().privatePort();
        broker.close();
        try (JarProcess probe = JarProcess.startMain(PROBE, Map.of("SQUALL_PRIVATE_PORT", String.valueOf(port)))) {
            assertThat(probe.awaitExit(EXIT)).as(probe.output()).isEqualTo(1);
            assertThat(probe.stdout()).singleElement().asString().startsWith("DOWN: ");
        }
    }

    @Test
    void probe_exits_1_on_an_invalid_configuration() {
        try (JarProcess probe = JarProcess.startMain(PROBE, Map.of("SQUALL_PRIVATE_PORT", "abc"))) {
            assertThat(probe.awaitExit(EXIT)).as(probe.output()).isEqualTo(1);
            assertThat(probe.stdout()).singleElement().asString().startsWith("DOWN: ").contains("private.port");
        }
    }
}
