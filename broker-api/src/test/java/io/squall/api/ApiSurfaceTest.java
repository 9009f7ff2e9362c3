package io.squall.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The API's public surface names only its own types, the JDK's, Jackson's and Micrometer's: a service author
 * compiles against broker-api alone, and the broker's internals stay free to change.
 */
class ApiSurfaceTest {
    private static final PublicSurface SURFACE = new PublicSurface(List.of("io.squall.api.", "java.",
            "com.fasterxml.jackson.", "io.micrometer."));

    @Test
    void theApiExposesNoTypeFromElsewhere() throws Exception {
        List<Class<?>> types = PublicSurface.typesBeside(SquallService.class);
        assertThat(types).contains(SquallService.class, Loop.class, SquallPlugin.class);
        assertThat(SURFACE.leaks(types)).as("types outside io.squall.api, the JDK, Jackson and Micrometer").isEmpty();
    }

    @Test
    void theScanCatchesALeak() {
        assertThat(SURFACE.leaks(List.of(Probe.class))).hasSize(1);
    }

    /** A public type naming JUnit's: the one leak the scan must report. */
    public static final class Probe {
        public org.junit.jupiter.api.Test probe() {
            return null;
        }
    }
}
