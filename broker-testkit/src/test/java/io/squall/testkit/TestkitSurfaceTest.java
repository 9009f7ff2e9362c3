package io.squall.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.api.PublicSurface;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kit shows a service author only its own types and the API's: the core it runs on stays internal. */
class TestkitSurfaceTest {
    @Test
    void theKitExposesNoInternalType() throws Exception {
        List<Class<?>> types = PublicSurface.typesBeside(ServiceTester.class);
        assertThat(types).contains(ServiceTester.class, TestClient.class, Publication.class);
        assertThat(new PublicSurface(List.of("io.squall.testkit.", "io.squall.api.", "java.",
                "com.fasterxml.jackson.", "io.micrometer.")).leaks(types))
                .as("types outside the kit, the API, the JDK, Jackson and Micrometer").isEmpty();
    }
}
