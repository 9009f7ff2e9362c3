package io.squall.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.model.Capability;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The SNAP demo image as compose.yaml's {@code snap-demo} service runs it (read-only root, a noexec {@code /tmp}
 * tmpfs, no capabilities): socat's pty pair, the simulator on one end and the broker's bridge reading the other
 * through jSerialComm, all checked from outside through the mapped ports.
 */
@ExtendWith(DockerRequired.class)
class SnapDemoIT {
    private static final int NODES = 3;
    private static final int STOP_TIMEOUT_SECONDS = 10;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static GenericContainer<?> demo;

    @BeforeAll
    static void start() {
        demo = demoContainer();
        long started = System.nanoTime();
        demo.start();
        System.out.println("SnapDemoIT: container created, started and ready in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    /** As compose.yaml's snap-demo service runs it. */
    private static GenericContainer<?> demoContainer() {
        return new GenericContainer<>(DockerImageName.parse(SnapDemoImage.name()))
                .withExposedPorts(SquallContainer.PUBLIC_PORT, SquallContainer.PRIVATE_PORT)
                .withEnv("SQUALL_BACKEND_KEY", SquallContainer.KEY)
                .withEnv("SNAP_DEMO_NODES", String.valueOf(NODES))
                .withEnv("SNAP_DEMO_PERIOD_MS", "500")
                .withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,nodev,size=64m"))
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true)
                        .withCapDrop(Capability.ALL)
                        .withSecurityOpts(List.of("no-new-privileges:true")))
                .waitingFor(Wait.forHttp("/health").forPort(SquallContainer.PRIVATE_PORT).forStatusCode(200)
                        .withStartupTimeout(Duration.ofSeconds(90)));
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.stop();
        }
    }

    @Test
    void every_simulated_node_s_status_reaches_a_websocket_subscriber_of_snap_all() {
        try (WsTestClient browser = WsTestClient.connect(wsUri(), Map.of())) {
            assertThat(browser.call("pubsub", "subscribe", "{\"channel\":\"snap/all\"}", 1).path("message")
                    .path("type").asText()).isEqualTo("response");

            Set<String> reporting = new HashSet<>();
            while (reporting.size() < NODES) {
                JsonNode publication = browser.next().path("message");
                assertThat(publication.path("channel").asText()).isEqualTo("snap/all");
                JsonNode rpc = publication.path("message");
                if (rpc.path("function").asText().equals("status")) {
                    assertThat(rpc.path("kind").asText()).isEqualTo("multicast");
                    assertThat(rpc.path("group").asInt()).isEqualTo(1);
                    assertThat(rpc.path("args")).hasSize(3);
                    reporting.add(rpc.path("src").asText());
                }
            }
            assertThat(reporting).allMatch(src -> src.matches("[0-9a-f]{6}"));
        }
    }

    @Test
    void the_live_page_s_rpc_reaches_a_simulated_node_over_the_pty_and_its_answer_comes_back() {
        try (WsTestClient browser = WsTestClient.connect(wsUri(), Map.of())) {
            browser.call("pubsub", "subscribe", "{\"channel\":\"snap/5de663/led\"}", 1);

            JsonNode sent = browser.call("snap", "rpc",
                    "{\"address\":\"5de663\",\"function\":\"setLed\",\"args\":[true]}", 2).path("message");

            assertThat(sent.path("type").asText()).as(sent.toString()).isEqualTo("response");
            JsonNode answer = browser.next().path("message").path("message");
            assertThat(answer.path("function").asText()).isEqualTo("led");
            assertThat(answer.path("args").toString()).isEqualTo("[true]");
        }
    }

    @Test
    void the_live_page_is_served_and_the_link_is_up_on_the_pty() throws Exception {
        HttpResponse<String> page = get(URI.create("http://" + demo.getHost() + ":"
                + demo.getMappedPort(SquallContainer.PUBLIC_PORT) + "/snap/"));
        HttpResponse<String> metrics = get(URI.create("http://" + demo.getHost() + ":"
                + demo.getMappedPort(SquallContainer.PRIVATE_PORT) + "/metrics"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(page.body()).contains("SNAP network");
        assertThat(metrics.body()).contains("snap_link_up 1.0");
        assertThat(demo.getLogs()).contains("SNAP link up on /tmp/snap/bridge (/dev/pts/")
                .doesNotContain("jSerialComm/2.");
    }

    @Test
    void docker_stop_reaches_the_broker_through_the_start_script_which_exits_with_it_before_the_timeout() {
        try (GenericContainer<?> stopped = demoContainer()) {
            stopped.start();
            DockerClient docker = DockerClientFactory.instance().client();

            docker.stopContainerCmd(stopped.getContainerId()).withTimeout(STOP_TIMEOUT_SECONDS).exec();

            ContainerState state = docker.inspectContainerCmd(stopped.getContainerId()).exec().getState();
            String logs = stopped.getLogs();
            // the script exits with the broker's status: 143 (128 + SIGTERM) after the JVM's graceful stop; 137
            // would mean the signal never reached the broker and Docker killed the container at the timeout
            assertThat(state.getExitCodeLong()).as("exit code\n" + logs).isEqualTo(143L);
            assertThat(logs).contains("stopped in").doesNotContain("cut at the deadline");
        }
    }

    private static URI wsUri() {
        return URI.create("ws://" + demo.getHost() + ":" + demo.getMappedPort(SquallContainer.PUBLIC_PORT) + "/ws");
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
