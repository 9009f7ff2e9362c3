package io.squall.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The SNAP demo image under test, built once per test run from {@code docker/snap-demo/Dockerfile} as compose.yaml's
 * {@code snap-demo} service builds it: the same base image as {@link SquallImage}, socat from
 * {@code docker/build-socat-image.sh}, the server jar and the start script.
 */
final class SnapDemoImage {
    static final String LOCAL_SOCAT_REPOSITORY = "squall/socat";
    private static String built;

    private SnapDemoImage() {}

    static String socatImage() {
        return System.getProperty("squall.docker.socat.image", LOCAL_SOCAT_REPOSITORY + ":local");
    }

    /** Builds the image on first use and returns its name. */
    static synchronized String name() {
        if (built == null) {
            String socat = socatImage();
            if (socat.startsWith(LOCAL_SOCAT_REPOSITORY) && !exists(socat)) {
                throw new IllegalStateException("The SNAP demo image takes socat from the image " + socat + ", which "
                        + "is missing. Build it without any registry with docker/build-socat-image.sh (cached; "
                        + ".ci/run does). To leave the container tests out: -Dsquall.docker.skip=true.");
            }
            Path root = SquallImage.root();
            Path jar = root.resolve("broker-server/target/broker-server.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("no server jar at " + jar + " (run ./mvnw verify from the root)");
            }
            ImageFromDockerfile image = new ImageFromDockerfile("squall-snap-demo:" + SquallImage.checkoutTag(), false)
                    .withFileFromPath("docker/snap-demo/Dockerfile", root.resolve("docker/snap-demo/Dockerfile"))
                    .withFileFromPath("docker/snap-demo/snap-demo.sh", root.resolve("docker/snap-demo/snap-demo.sh"))
                    .withFileFromPath("broker-server/target/broker-server.jar", jar)
                    .withDockerfilePath("docker/snap-demo/Dockerfile")
                    .withBuildArg("BASE_IMAGE", SquallImage.baseImage())
                    .withBuildArg("SOCAT_IMAGE", socat);
            try {
                built = image.get();
            } catch (RuntimeException e) {
                throw new IllegalStateException("docker build of docker/snap-demo/Dockerfile failed", e);
            }
        }
        return built;
    }

    private static boolean exists(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
