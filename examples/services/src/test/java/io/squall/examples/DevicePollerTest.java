package io.squall.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.Registry;
import io.squall.examples.device.DevicePoller;
import io.squall.examples.device.SimulatedDevice;
import io.squall.server.Squall;
import io.squall.server.testing.Await;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The device poller: refreshed forever on its pool, each reading published, RPCs served meanwhile, stopped cleanly. */
class DevicePollerTest {
    private static final Duration READ = Duration.ofMillis(50); // the real device: ~200 ms

    private final SimulatedDevice device = new SimulatedDevice(READ);

    private Squall start() {
        return Brokers.onLoopback().service(Registry.PUBLIC,
                new DevicePoller("device", device, "device/readings", Duration.ZERO)).start();
    }

    @Test
    void readingsArePublishedAndServedWhileTheDeviceIsRead() {
        try (Squall squall = start(); WsTestClient client = Brokers.connect(squall)) {
            client.call("pubsub", "subscribe", "{\"channel\":\"device/readings\"}", 1);
            JsonNode published = client.next().path("message");
            assertThat(published.path("channel").asText()).isEqualTo("device/readings");
            assertThat(published.path("message").path("seq").asLong()).isPositive();

            JsonNode readings = client.call("device", "readings", "{}", 2).path("message").path("data");
            assertThat(readings.isArray()).isTrue();
            assertThat(readings).isNotEmpty();

            JsonNode set = client.call("device", "setExposure", "{\"exposureMs\":42}", 3).path("message");
            assertThat(set.path("data").asInt()).isEqualTo(42);
            Await.until("a reading taken with the new exposure", () -> {
                JsonNode latest = client.call("device", "readings", "{}", 4).path("message").path("data");
                return latest.size() > 0 && latest.get(latest.size() - 1).path("exposureMs").asInt() == 42;
            });
        }
    }

    @Test
    void badParamsAreRefusedAndTheRefreshGoesOn() {
        try (Squall squall = start(); WsTestClient client = Brokers.connect(squall)) {
            JsonNode outOfRange = client.call("device", "setExposure", "{\"exposureMs\":0}", 1).path("message");
            assertThat(outOfRange.path("message").asText()).isEqualTo("Invalid params");
            JsonNode misspelt = client.call("device", "setExposure", "{\"exposure\":5}", 2).path("message");
            assertThat(misspelt.path("message").asText()).isEqualTo("Invalid params");
            assertThat(misspelt.path("field").asText()).isIn("exposure", "exposureMs");
            long before = device.reads();
            Await.until("more reads", () -> device.reads() > before + 2);
        }
    }

    @Test
    void stoppingTheBrokerStopsTheRefreshWithinOneRead() throws InterruptedException {
        Squall squall = start();
        Await.until("a few reads", () -> device.reads() >= 3);
        squall.stop();
        long atStop = device.reads();
        Thread.sleep(READ.multipliedBy(6).toMillis()); // time for several reads, had the refresh gone on
        // the read in progress at the stop is interrupted; at most it completes, and none starts after it
        assertThat(device.reads()).isBetween(atStop, atStop + 1);
    }
}
