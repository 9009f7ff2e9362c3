package io.squall.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The image under test, built once per test run from the repository's {@code docker/Dockerfile} and the shaded
 * server jar, exactly as the README's {@code docker build} does (the build context holds just those two files, as
 * the root {@code .dockerignore} leaves it).
 */
final class SquallImage {
    static final String LOCAL_BASE_REPOSITORY = "squall/jre-base";
    private static String built;

    private SquallImage() {}

    static String baseImage() {
        return System.getProperty("squall.docker.base.image", LOCAL_BASE_REPOSITORY + ":local");
    }

    /** Builds the image on first use and returns its name. */
    static synchronized String name() {
        if (built == null) {
            Path root = root();
            Path jar = root.resolve("broker-server/target/broker-server.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("no server jar at " + jar + " (the reactor packages broker-server "
                        + "before this module's integration tests; run ./mvnw verify from the repository root)");
            }
            ImageFromDockerfile image = new ImageFromDockerfile("squall:" + checkoutTag(), false)
                    .withFileFromPath("docker/Dockerfile", root.resolve("docker/Dockerfile"))
                    .withFileFromPath("broker-server/target/broker-server.jar", jar)
                    .withDockerfilePath("docker/Dockerfile")
                    .withBuildArg("BASE_IMAGE", baseImage());
            try {
                built = image.get();
            } catch (RuntimeException e) {
                throw new IllegalStateException("docker build of docker/Dockerfile on " + baseImage() + " failed", e);
            }
        }
        return built;
    }

    /**
     * A fixed tag per checkout: without the reaper, each run replaces the last instead of leaving images behind, and
     * two checkouts testing on one Docker daemon at once never start each other's image.
     */
    static String checkoutTag() {
        return "it-" + Integer.toHexString(root().toString().hashCode());
    }

    static Path root() {
        String root = System.getProperty("squall.root");
        if (root == null) {
            throw new IllegalStateException("system property squall.root is not set (run through failsafe)");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }
}
