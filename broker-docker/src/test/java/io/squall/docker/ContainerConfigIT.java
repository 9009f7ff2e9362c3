package io.squall.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Capability;
import io.squall.server.testing.Await;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.utility.LogUtils;

/** The image configured the way operators configure containers: environment variables and docker run limits. */
@ExtendWith(DockerRequired.class)
class ContainerConfigIT {
    private static final Pattern READY = Pattern.compile("Squall ready in \\d+ ms \\(heap max (\\d+) MiB, (\\d+) CPUs\\)");

    @Test
    void environment_variables_set_ports_path_limits_and_key_and_the_health_check_follows_them() {
        try (SquallContainer squall = new SquallContainer().listeningOn(9000, 9001, "/live")
                .withEnv("SQUALL_MAX_SUBSCRIPTIONS", "1").withQuickHealthChecks()) {
            squall.start();

            try (WsTestClient alice = WsTestClient.connect(squall.wsUri(), Map.of())) {
                alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);
                assertThat(alice.call("pubsub", "subscribe", "{\"channel\":\"sport\"}", 1).path("message")
                        .path("message").asText()).as("SQUALL_MAX_SUBSCRIPTIONS=1").isEqualTo("Too many subscriptions");

                assertThat(squall.publish("not-the-key-0123456789", "news", "1").statusCode()).isEqualTo(401);
                assertThat(squall.publish(SquallContainer.KEY, "news", "2").statusCode()).isEqualTo(200);
                assertThat(alice.next().path("message").path("message").asInt()).isEqualTo(2);
            }
            assertThat(squall.stdout()).anyMatch(line -> line.contains("public WebSocket on ws://0.0.0.0:9000/live"))
                    .anyMatch(line -> line.contains("private backend on http://0.0.0.0:9001/backend"))
                    .noneMatch(line -> line.contains("generated one"));
            Await.until("the image's health check probes port 9001 (now " + squall.healthStatus() + ")",
                    Duration.ofSeconds(60), () -> squall.healthStatus().equals("healthy"));
        }
    }

    @Test
    void without_a_backend_key_the_container_generates_one_logs_it_once_and_accepts_it() {
        try (SquallContainer squall = new SquallContainer()) {
            squall.getEnvMap().remove("SQUALL_BACKEND_KEY");
            squall.start();

            Matcher generated = Pattern.compile("generated one for this run: ([A-Za-z0-9_-]+)")
                    .matcher(String.join("\n", squall.stdout()));
            assertThat(generated.find()).as(String.join("\n", squall.stdout())).isTrue();
            String key = generated.group(1);
            assertThat(squall.stdout().stream().filter(line -> line.contains(key))).as("logged once").hasSize(1);
            assertThat(squall.publish(key, "news", "1").statusCode()).isEqualTo(200);
            assertThat(squall.publish(SquallContainer.KEY, "news", "1").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void an_invalid_variable_stops_the_container_with_exit_code_2_naming_the_key() {
        DockerClient docker = DockerClientFactory.instance().client();
        String id = docker.createContainerCmd(SquallImage.name()).withEnv("SQUALL_PUBLIC_PORT=abc").exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            int exit = docker.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
            String stdout = LogUtils.getOutput(docker, id, OutputType.STDOUT);

            assertThat(exit).as(stdout).isEqualTo(2);
            assertThat(stdout).contains("configuration error", "public.port").doesNotContain("Squall ready");
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }

    @Test
    void heap_and_cpus_are_sized_from_the_container_limits() {
        long limit = 256L << 20;
        try (SquallContainer squall = new SquallContainer().withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withMemory(limit).withNanoCPUs(1_000_000_000L))) {
            squall.start();

            Matcher ready = READY.matcher(String.join("\n", squall.stdout()));
            assertThat(ready.find()).as(String.join("\n", squall.stdout())).isTrue();
            long heapMiB = Long.parseLong(ready.group(1));
            // MaxRAMPercentage=75 of 256 MiB; the JVM's own default (25 %) would give 64 MiB
            assertThat(heapMiB).as("heap max in MiB under a 256 MiB limit").isBetween(160L, 200L);
            assertThat(Integer.parseInt(ready.group(2))).as("CPUs under --cpus 1").isEqualTo(1);
        }
    }

    @Test
    void it_runs_on_a_read_only_root_filesystem_without_capabilities_or_privilege_gain() {
        try (SquallContainer squall = new SquallContainer().withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withReadonlyRootfs(true).withCapDrop(Capability.ALL).withSecurityOpts(List.of("no-new-privileges")))) {
            squall.start();

            try (WsTestClient alice = WsTestClient.connect(squall.wsUri(), Map.of())) {
                alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);
                assertThat(squall.publish(SquallContainer.KEY, "news", "\"hello\"").statusCode()).isEqualTo(200);
                assertThat(alice.next().path("message").path("message").asText()).isEqualTo("hello");
            }
            assertThat(squall.stderr()).as("nothing complains about the read-only filesystem").isEmpty();
        }
    }
}
