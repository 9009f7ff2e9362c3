package io.squall.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The image's trimmed runtime (docker/build-base-image.sh's module list) speaks TLS to Redis: a node on
 * {@code rediss://} with an EC certificate becomes ready and publishes. A module Lettuce or Netty needs for TLS or DNS
 * that jlink left out would fail only here, at run time in the container.
 */
@ExtendWith(DockerRequired.class)
class RedisTlsIT {
    private static final String PASSWORD = "changeit";

    @TempDir
    Path tls;

    @Test
    void a_node_reaches_redis_over_tls_with_an_ec_certificate() throws Exception {
        Path server = tls.resolve("server.p12");
        Path certificate = tls.resolve("redis.crt");
        Path key = tls.resolve("redis.key");
        Path trust = tls.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "redis", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=redis-tls",
                "-ext", "SAN=dns:redis-tls", "-validity", "2", "-keystore", server.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "redis", "-keystore", server.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "redis", "-file", certificate.toString(), "-keystore",
                trust.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(server)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(
                StandardCharsets.US_ASCII)).encodeToString(keyStore.getKey("redis", PASSWORD.toCharArray()).getEncoded())
                + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);

        try (Network network = Network.newNetwork();
                GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse(ClusterComposeIT.redisImage()))
                        .withNetwork(network).withNetworkAliases("redis-tls")
                        .withCopyFileToContainer(MountableFile.forHostPath(certificate, 0644), "/tls/redis.crt")
                        .withCopyFileToContainer(MountableFile.forHostPath(key, 0644), "/tls/redis.key")
                        .withCommand("redis-server", "--protected-mode", "no", "--save", "", "--port", "0",
                                "--tls-port", "6380", "--tls-cert-file", "/tls/redis.crt", "--tls-key-file",
                                "/tls/redis.key", "--tls-auth-clients", "no")
                        .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
                SquallContainer node = new SquallContainer().withNetwork(network)
                        .withCopyFileToContainer(MountableFile.forHostPath(trust, 0644), "/etc/squall-tls/trust.p12")
                        .withEnv("JDK_JAVA_OPTIONS", "-Djavax.net.ssl.trustStore=/etc/squall-tls/trust.p12"
                                + " -Djavax.net.ssl.trustStorePassword=" + PASSWORD)
                        .withEnv("SQUALL_ENGINE", "redis")
                        .withEnv("SQUALL_REDIS_ADDRESS", "rediss://redis-tls:6380")
                        .withEnv("SQUALL_PUBSUB_CHANNELS", "news:* size=10 ttl=1m")) {
            redis.start();
            node.start(); // ready (/health 200) only once its Redis connections are up

            HttpResponse<String> published = node.publish(SquallContainer.KEY, "news:tls", "\"over TLS\"");

            assertThat(published.statusCode()).isEqualTo(200);
            assertThat(published.body()).contains("\"data\":{\"offset\":1,");
            assertThat(node.stdout()).anyMatch(line -> line.contains("redis redis-tls:6380: connected"))
                    .noneMatch(line -> line.contains("NoClassDefFoundError") || line.contains("ClassNotFound"));
        }
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool " + String.join(" ", arguments) + ": " + output).isZero();
    }
}
