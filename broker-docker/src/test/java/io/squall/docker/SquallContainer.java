package io.squall.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HealthCheck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/** The Squall image as a container, reached through its mapped ports; ready when {@code /health} answers 200. */
final class SquallContainer extends GenericContainer<SquallContainer> {
    static final String KEY = "container-backend-key-0123456789";
    static final int PUBLIC_PORT = 8080;
    static final int PRIVATE_PORT = 8081;
    private static final Duration READY = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private int publicPort = PUBLIC_PORT;
    private int privatePort = PRIVATE_PORT;
    private String wsPath = "/ws";

    SquallContainer() {
        super(DockerImageName.parse(SquallImage.name()));
        withExposedPorts(PUBLIC_PORT, PRIVATE_PORT);
        withEnv("SQUALL_BACKEND_KEY", KEY);
        waitUntilHealthy();
    }

    /** Moves both listeners and the WebSocket path by environment variables, as an operator would. */
    SquallContainer listeningOn(int publicPort, int privatePort, String wsPath) {
        this.publicPort = publicPort;
        this.privatePort = privatePort;
        this.wsPath = wsPath;
        withEnv("SQUALL_PUBLIC_PORT", String.valueOf(publicPort));
        withEnv("SQUALL_PRIVATE_PORT", String.valueOf(privatePort));
        withEnv("SQUALL_WS_PATH", wsPath);
        setExposedPorts(List.of(publicPort, privatePort));
        return waitUntilHealthy();
    }

    /**
     * Runs the image's own HEALTHCHECK command every second instead of every 20 s, so a test sees Docker's verdict
     * quickly; the command itself is the image's.
     */
    SquallContainer withQuickHealthChecks() {
        HealthCheck imageCheck = DockerClientFactory.instance().client().inspectImageCmd(getDockerImageName()).exec()
                .getConfig().getHealthcheck();
        if (imageCheck == null || imageCheck.getTest() == null) {
            throw new AssertionError("the image declares no HEALTHCHECK");
        }
        return withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(new HealthCheck()
                .withTest(imageCheck.getTest())
                .withInterval(TimeUnit.SECONDS.toNanos(1))
                .withTimeout(imageCheck.getTimeout())
                .withRetries(imageCheck.getRetries())
                .withStartPeriod(imageCheck.getStartPeriod())));
    }

    private SquallContainer waitUntilHealthy() {
        return waitingFor(Wait.forHttp("/health").forPort(privatePort).forStatusCode(200).withStartupTimeout(READY));
    }

    URI wsUri() {
        return URI.create("ws://" + getHost() + ":" + getMappedPort(publicPort) + wsPath);
    }

    URI privateUri(String path) {
        return URI.create("http://" + getHost() + ":" + getMappedPort(privatePort) + path);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(privateUri(path)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    /** Publishes {@code messageJson} to {@code channel} through the backend HTTP endpoint with {@code key}. */
    HttpResponse<String> publish(String key, String channel, String messageJson) {
        String body = "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\",\"params\":{\"channel\":\""
                + channel + "\",\"message\":" + messageJson + "}}}";
        return send(HttpRequest.newBuilder(privateUri("/backend")).timeout(Duration.ofSeconds(20))
                .header("X-Backend-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        }
    }

    /** Docker's health verdict: starting, healthy or unhealthy. */
    String healthStatus() {
        InspectContainerResponse.ContainerState state = getCurrentContainerInfo().getState();
        return state.getHealth() == null ? "none" : state.getHealth().getStatus();
    }

    /** The lines the container wrote to stdout (what `docker logs` shows). */
    List<String> stdout() {
        return lines(getLogs(OutputType.STDOUT));
    }

    List<String> stderr() {
        return lines(getLogs(OutputType.STDERR));
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }
}
