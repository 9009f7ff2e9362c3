package io.squall.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Fails a container test class up front, saying how to fix it, when Docker or the base image is missing: the
 * container tests never skip themselves. {@code -Dsquall.docker.skip=true} leaves them out explicitly.
 */
final class DockerRequired implements BeforeAllCallback {
    private static final String HOW_TO_SKIP = "To leave the container tests out on a machine without Docker, build with "
            + "-Dsquall.docker.skip=true (CI never does).";

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("The container tests need a running Docker daemon and none answered. "
                    + "On Debian or Ubuntu: apt-get install docker.io, then start dockerd (e.g. nohup dockerd &) "
                    + "and check `docker info`; elsewhere install Docker Engine or Docker Desktop. " + HOW_TO_SKIP);
        }
        String base = SquallImage.baseImage();
        if (base.startsWith(SquallImage.LOCAL_BASE_REPOSITORY) && !imageExists(base)) {
            throw new IllegalStateException("The container tests build docker/Dockerfile on the base image " + base
                    + ", which is missing. Build it without any registry with docker/build-base-image.sh (cached), "
                    + "or, where Docker Hub is reachable, pass -Dsquall.docker.base.image=eclipse-temurin:25-jre. "
                    + HOW_TO_SKIP);
        }
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
