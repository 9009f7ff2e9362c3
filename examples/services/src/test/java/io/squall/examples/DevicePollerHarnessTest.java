package io.squall.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.Registry;
import io.squall.examples.device.Device;
import io.squall.examples.device.DevicePoller;
import io.squall.examples.device.Reading;
import io.squall.testkit.ServiceTester;
import io.squall.testkit.TestClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The device poller on the manual loop, no sockets: virtual time drives the pause between reads. */
class DevicePollerHarnessTest {
    /** Answers at once; counts its reads. */
    private static final class InstantDevice implements Device {
        final AtomicInteger reads = new AtomicInteger();
        volatile int exposure = 10;

        @Override
        public Reading read() {
            return new Reading(reads.incrementAndGet(), exposure, 780.0, 0);
        }

        @Override
        public void setExposure(int exposureMs) {
            exposure = exposureMs;
        }
    }

    private final InstantDevice device = new InstantDevice();
    private final ServiceTester harness = ServiceTester.start(Registry.PUBLIC,
            new DevicePoller("device", device, "device/readings", Duration.ofSeconds(1)));
    private final TestClient client = harness.connect("client");

    @AfterEach
    void stop() {
        harness.stop();
    }

    @Test
    void eachReadingIsPublishedAndTheNextWaitsForThePause() {
        harness.runUntil("the first reading", () -> harness.published().size() == 1);
        assertThat(harness.published().get(0).toString()).startsWith("device/readings {\"seq\":1,");
        harness.runPending();
        assertThat(device.reads).hasValue(1); // the pause is virtual time: nothing more until it moves
        harness.advance(Duration.ofSeconds(1));
        harness.runUntil("the second reading", () -> harness.published().size() == 2);
        JsonNode readings = harness.call(client, "device", "readings", "{}");
        assertThat(readings.path("data")).hasSize(2);
    }

    @Test
    void setExposureGoesThroughTheDevicesPoolAndAnswersOnceTaken() {
        harness.call(client, "device", "setExposure", "{\"exposureMs\":42}"); // answered from the device's pool
        harness.runUntil("the answer", () -> client.reply(1) != null);
        assertThat(client.reply(1).path("data").asInt()).isEqualTo(42);
        assertThat(harness.call(client, "device", "setExposure", "{\"exposureMs\":0}").path("message").asText())
                .isEqualTo("Invalid params");
    }

    @Test
    void stoppingStopsTheRefresh() {
        harness.runUntil("the first reading", () -> harness.published().size() == 1);
        harness.stop();
        harness.advance(Duration.ofMinutes(1));
        harness.runPending();
        assertThat(device.reads).hasValue(1);
    }
}
