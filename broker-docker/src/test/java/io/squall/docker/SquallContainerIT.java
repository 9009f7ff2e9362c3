package io.squall.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.Await;
import io.squall.server.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;

/** One container of the image on its defaults (plus a backend key), checked through its mapped ports. */
@ExtendWith(DockerRequired.class)
class SquallContainerIT {
    /** One logback event per line, as the jar's logback.xml prints it. */
    static final Pattern LOG_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (ERROR|WARN |INFO |DEBUG|TRACE) \\[[^]]+] \\S+ - .*");
    private static SquallContainer squall;

    @BeforeAll
    static void start() {
        squall = new SquallContainer().withQuickHealthChecks();
        long started = System.nanoTime();
        squall.start();
        System.out.println("SquallContainerIT: container created, started and ready in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    @AfterAll
    static void stop() {
        if (squall != null) {
            squall.stop();
        }
    }

    @Test
    void health_answers_ready_on_the_mapped_private_port() {
        HttpResponse<String> ready = squall.get("/health");
        HttpResponse<String> live = squall.get("/health/live");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(live.statusCode()).isEqualTo(200);
    }

    @Test
    void docker_reports_the_container_healthy_through_the_image_health_check() {
        Await.until("Docker's health status is healthy (now " + squall.healthStatus() + ")", Duration.ofSeconds(60),
                () -> squall.healthStatus().equals("healthy"));

        List<String> checks = squall.getCurrentContainerInfo().getState().getHealth().getLog().stream()
                .map(log -> log.getExitCodeLong() + " " + log.getOutput().strip()).toList();
        assertThat(checks).as("health check log").last().asString().startsWith("0 UP: ").contains("200");
    }

    @Test
    void a_websocket_subscriber_receives_what_the_backend_publishes() {
        try (WsTestClient alice = WsTestClient.connect(squall.wsUri(), Map.of())) {
            assertThat(alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0).path("message").path("type")
                    .asText()).isEqualTo("response");

            HttpResponse<String> published = squall.publish(SquallContainer.KEY, "news", "\"hello\"");

            assertThat(published.statusCode()).isEqualTo(200);
            assertThat(published.body()).isEqualTo(
                    "{\"service\":\"pubsub_backend\",\"message\":{\"type\":\"response\",\"data\":null}}");
            assertThat(alice.nextText()).isEqualTo(
                    "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"news\",\"message\":\"hello\"}}");
        }
    }

    @Test
    void metrics_include_jvm_and_process_meters_from_the_trimmed_runtime() {
        HttpResponse<String> metrics = squall.get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        // process CPU and open files come from jdk.management: the base image's JRE must carry that module
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "process_cpu_usage", "process_files_open_files",
                "broker_connections");
    }

    @Test
    void the_broker_runs_as_pid_1_under_a_non_root_user_without_capabilities() throws Exception {
        ExecResult status = squall.execInContainer("cat", "/proc/1/status");

        assertThat(squall.getContainerInfo().getConfig().getUser()).isEqualTo("65532:65532");
        assertThat(status.getStdout()).as("PID 1 is the JVM itself, so docker stop's SIGTERM reaches it")
                .containsPattern("(?m)^Name:\\s+java$");
        assertThat(status.getStdout()).as("real, effective, saved and filesystem uid")
                .containsPattern("(?m)^Uid:\\s+65532\\s+65532\\s+65532\\s+65532$")
                .containsPattern("(?m)^Gid:\\s+65532\\s+65532\\s+65532\\s+65532$")
                .containsPattern("(?m)^CapEff:\\s+0+$");
    }

    @Test
    void logs_go_to_stdout_one_event_per_line() {
        List<String> stdout = squall.stdout();

        assertThat(stdout).as("stdout").anyMatch(line -> line.contains("Squall ready in"));
        assertThat(stdout).as("every stdout line is a single-line log event")
                .allMatch(line -> LOG_LINE.matcher(line).matches());
        assertThat(squall.stderr()).as("stderr").isEmpty();
    }

    @Test
    void the_image_bakes_in_no_backend_key_and_listens_on_the_container_interface() {
        List<String> imageEnv = List.of(DockerClientFactory.instance().client().inspectImageCmd(SquallImage.name())
                .exec().getConfig().getEnv());

        assertThat(imageEnv).as("image environment").noneMatch(var -> var.startsWith("SQUALL_BACKEND_KEY"))
                .contains("SQUALL_PRIVATE_HOST=0.0.0.0", "SQUALL_PUBLIC_HOST=0.0.0.0");
        assertThat(squall.stdout()).anyMatch(line -> line.contains("private backend on http://0.0.0.0:8081/backend"));
    }
}
