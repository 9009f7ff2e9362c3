package io.squall.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.squall.server.testing.Await;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * docker/compose.cluster.yaml's three services, Redis and two Squall nodes on engine=redis, started as that file
 * describes them (its images, commands, environments, mounts and hardening, read from the file; the Compose CLI is
 * not needed) on one Docker network where they find each other by service name: delivery across the nodes, and a
 * client's recovery across a {@code docker stop} and start of its node.
 */
@ExtendWith(DockerRequired.class)
class ClusterComposeIT {
    static final String LOCAL_REDIS_REPOSITORY = "squall/redis";
    /** A channel name under the history pattern the file gives both nodes (DeploymentFilesTest checks it). */
    static final String HISTORY_CHANNEL_PREFIX = "news:";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ComposeFile compose;
    private static Network network;
    private static GenericContainer<?> redis;
    private static SquallContainer node1;
    private static SquallContainer node2;

    static String redisImage() {
        return System.getProperty("squall.docker.redis.image", LOCAL_REDIS_REPOSITORY + ":local");
    }

    @BeforeAll
    static void start() {
        String redisImage = redisImage();
        if (redisImage.startsWith(LOCAL_REDIS_REPOSITORY) && !imageExists(redisImage)) {
            throw new IllegalStateException("The cluster test runs Redis from the image " + redisImage + ", which is "
                    + "missing. Build it without any registry with docker/build-redis-image.sh (cached; .ci/run does). "
                    + "To leave the container tests out: -Dsquall.docker.skip=true.");
        }
        compose = ComposeFile.read(SquallImage.root().resolve("docker").resolve(ComposeFile.CLUSTER), Map.of(
                "SQUALL_BACKEND_KEY", SquallContainer.KEY,
                "SQUALL_REDIS_IMAGE", redisImage,
                "SQUALL_BASE_IMAGE", SquallImage.baseImage()));
        network = Network.newNetwork();
        long started = System.nanoTime();
        redis = hardened(new GenericContainer<>(DockerImageName.parse(compose.image("redis"))), "redis");
        redis.withCommand(compose.command("redis").toArray(String[]::new));
        redis.waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
        node1 = node("squall-1");
        node2 = node("squall-2");
        // all at once: a node that starts before Redis answers waits for it, not ready until then (as in Compose)
        Startables.deepStart(redis, node1, node2).join();
        System.out.println("ClusterComposeIT: Redis and two nodes created, started and ready in "
                + (System.nanoTime() - started) / 1_000_000 + " ms (" + readyLine(node1) + "; " + readyLine(node2)
                + ")");
    }

    private static SquallContainer node(String service) {
        // binds set on the create command: Testcontainers' own file-system bind would first probe mounting with an
        // alpine container, which needs a registry
        List<Bind> binds = compose.binds(service).stream().map(bind -> new Bind(bind.host().toString(),
                new Volume(bind.container()), bind.readOnly() ? AccessMode.ro : AccessMode.rw)).toList();
        return hardened(new SquallContainer(), service).withEnv(compose.environment(service))
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(binds));
    }

    /** On the test's network under its service name, with the service's read_only, tmpfs, cap_drop, security_opt. */
    private static <T extends GenericContainer<?>> T hardened(T container, String service) {
        JsonNode definition = compose.service(service);
        Map<String, String> tmpfs = new HashMap<>();
        compose.strings(service, "tmpfs").forEach(path -> tmpfs.put(path, ""));
        Capability[] dropped = compose.strings(service, "cap_drop").stream().map(Capability::valueOf)
                .toArray(Capability[]::new);
        List<String> securityOptions = compose.strings(service, "security_opt");
        container.withNetwork(network);
        container.withNetworkAliases(service);
        container.withTmpFs(tmpfs);
        container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withReadonlyRootfs(definition.path("read_only").asBoolean(false))
                .withCapDrop(dropped).withSecurityOpts(securityOptions));
        return container;
    }

    @AfterAll
    static void stop() {
        try {
            for (GenericContainer<?> container : new GenericContainer<?>[] {node1, node2, redis}) {
                if (container != null) {
                    container.stop();
                }
            }
        } finally {
            if (network != null) {
                network.close();
            }
        }
    }

    @Test
    void a_client_on_either_node_receives_what_the_backend_publishes_on_the_other() {
        String channel = HISTORY_CHANNEL_PREFIX + "cross";
        try (WsTestClient on1 = WsTestClient.connect(wsUri(node1), Map.of());
                WsTestClient on2 = WsTestClient.connect(wsUri(node2), Map.of())) {
            on1.call("pubsub", "subscribe", "{\"channel\":\"" + channel + "\"}", 0);
            on2.call("pubsub", "subscribe", "{\"channel\":\"" + channel + "\"}", 0);

            JsonNode first = publish(node2, channel, "\"from node 2\"");
            assertThat(on1.nextText()).isEqualTo("{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\""
                    + channel + "\",\"message\":\"from node 2\"}}");
            JsonNode second = publish(node1, channel, "\"from node 1\"");
            assertThat(on2.nextText()).isEqualTo("{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\""
                    + channel + "\",\"message\":\"from node 2\"}}");
            assertThat(on2.nextText()).isEqualTo("{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\""
                    + channel + "\",\"message\":\"from node 1\"}}");
            assertThat(on1.next().at("/message/message").asText()).isEqualTo("from node 1");
            assertThat(second.path("epoch").asText()).as("one history for both nodes")
                    .isEqualTo(first.path("epoch").asText());
            assertThat(second.path("offset").asLong()).isEqualTo(first.path("offset").asLong() + 1);
        }
    }

    @Test
    void a_client_recovers_exactly_what_was_published_on_the_other_node_while_its_node_was_stopped() {
        String channel = HISTORY_CHANNEL_PREFIX + "restart";
        long seen;
        String epoch;
        try (WsTestClient client = WsTestClient.connect(wsUri(node1), Map.of())) {
            JsonNode position = client.call("pubsub", "subscribe",
                    "{\"channel\":\"" + channel + "\",\"recoverable\":true}", 0).at("/message/data");
            epoch = position.path("epoch").asText();
            publish(node2, channel, "\"before\"");
            JsonNode before = client.next().path("message");
            assertThat(before.path("message").asText()).isEqualTo("before");
            seen = before.path("offset").asLong();
            assertThat(seen).isEqualTo(position.path("offset").asLong() + 1);

            DockerClient docker = DockerClientFactory.instance().client();
            long stopping = System.nanoTime();
            docker.stopContainerCmd(node1.getContainerId()).withTimeout(10).exec();
            long stopped = System.nanoTime();
            assertThat(client.awaitClose()).as("close code of node 1's graceful stop").isEqualTo(1001);
            for (int i = 1; i <= 3; i++) {
                JsonNode published = publish(node2, channel, "\"missed " + i + "\"");
                assertThat(published.path("offset").asLong()).isEqualTo(seen + i);
            }
            docker.startContainerCmd(node1.getContainerId()).exec();
            Await.until("node 1 ready again", Duration.ofSeconds(60), () -> ready(node1));
            System.out.println("ClusterComposeIT: node 1 stopped in " + (stopped - stopping) / 1_000_000
                    + " ms, started and ready again in " + (System.nanoTime() - stopped) / 1_000_000 + " ms");
        }

        for (SquallContainer node : List.of(node1, node2)) {
            try (WsTestClient back = WsTestClient.connect(wsUri(node), Map.of())) {
                JsonNode reply = back.call("pubsub", "subscribe", "{\"channel\":\"" + channel + "\",\"since\":{\"offset\":"
                        + seen + ",\"epoch\":\"" + epoch + "\"}}", 1).at("/message/data");

                assertThat(reply.path("recovered").asBoolean()).as("recovered, reply " + reply).isTrue();
                assertThat(reply.path("epoch").asText()).isEqualTo(epoch);
                assertThat(reply.path("offset").asLong()).isEqualTo(seen + 3);
                for (int i = 1; i <= 3; i++) {
                    assertThat(back.nextText()).isEqualTo("{\"service\":\"pubsub\",\"message\":{\"type\":\"message\","
                            + "\"channel\":\"" + channel + "\",\"message\":\"missed " + i + "\",\"offset\":" + (seen + i)
                            + "}}");
                }
                assertThat(back.poll(Duration.ofMillis(300))).as("nothing but the missed publications").isNull();
            }
        }
        try (WsTestClient back = WsTestClient.connect(wsUri(node1), Map.of())) {
            back.call("pubsub", "subscribe", "{\"channel\":\"" + channel + "\",\"since\":{\"offset\":" + (seen + 3)
                    + ",\"epoch\":\"" + epoch + "\"}}", 2);
            publish(node2, channel, "\"live\"");
            JsonNode live = back.next().path("message");
            assertThat(live.path("offset").asLong()).isEqualTo(seen + 4);
            assertThat(live.path("message").asText()).isEqualTo("live");
        }
    }

    /** Publishes through the node's backend endpoint and answers the reply's data ({"offset","epoch"}). */
    private static JsonNode publish(SquallContainer node, String channel, String messageJson) {
        String body = "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\",\"params\":{\"channel\":\""
                + channel + "\",\"message\":" + messageJson + "}}}";
        HttpResponse<String> response = send(HttpRequest.newBuilder(privateUri(node, "/backend"))
                .timeout(Duration.ofSeconds(20)).header("X-Backend-Key", SquallContainer.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            JsonNode data = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())
                    .at("/message/data");
            assertThat(data.path("offset").isNumber()).as("a positioned reply: " + response.body()).isTrue();
            return data;
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static boolean ready(SquallContainer node) {
        try {
            return send(HttpRequest.newBuilder(privateUri(node, "/health")).timeout(Duration.ofSeconds(5)).GET()
                    .build()).statusCode() == 200;
        } catch (IllegalStateException notListening) {
            return false;
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        }
    }

    /** The node's WebSocket URI on its current host port (Docker may map other ports after a restart). */
    private static URI wsUri(SquallContainer node) {
        return URI.create("ws://" + node.getHost() + ":" + hostPort(node, SquallContainer.PUBLIC_PORT) + "/ws");
    }

    private static URI privateUri(SquallContainer node, String path) {
        return URI.create("http://" + node.getHost() + ":" + hostPort(node, SquallContainer.PRIVATE_PORT) + path);
    }

    private static String hostPort(SquallContainer node, int containerPort) {
        Ports.Binding[] bindings = DockerClientFactory.instance().client().inspectContainerCmd(node.getContainerId())
                .exec().getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(containerPort));
        if (bindings == null || bindings.length == 0) {
            throw new IllegalStateException("port " + containerPort + " of " + node.getContainerId() + " not mapped");
        }
        return bindings[0].getHostPortSpec();
    }

    private static String readyLine(SquallContainer node) {
        return node.stdout().stream().filter(line -> line.contains("Squall ready in")).reduce((a, b) -> b)
                .map(line -> line.substring(line.indexOf("Squall ready in"))).orElse("no ready line");
    }

    private static boolean imageExists(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
