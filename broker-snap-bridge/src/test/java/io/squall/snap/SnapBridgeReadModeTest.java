package io.squall.snap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.testing.Meters;
import io.squall.core.testing.RecordingClient;
import io.squall.snap.codec.Vectors;
import io.squall.snap.link.SerialSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How serial input reaches the loop: readiness where the link can watch its port, polling otherwise or on demand. */
class SnapBridgeReadModeTest {
    private static final SnapBridgeConfig DEFAULTS = SnapBridgeConfig.defaults(SerialSettings.of("/dev/fake", 38400));

    @Test
    void serial_input_wakes_the_bridge_and_bytes_that_arrive_together_are_read_by_one_task() {
        BridgeFixture f = new BridgeFixture();
        f.link.offerReadiness(true);
        f.started();
        RecordingClient all = f.subscriber("snap/all");

        f.advance(Duration.ofSeconds(10));
        assertThat(readTasks(f)).as("a silent watched port costs the loop no reads").isZero();

        byte[] three = new byte[Vectors.TV1_FRAME.length * 3];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(Vectors.TV1_FRAME, 0, three, i * Vectors.TV1_FRAME.length, Vectors.TV1_FRAME.length);
        }
        f.link.feed(three);
        for (int i = 0; i < 3; i++) {
            f.link.signal(); // the link's thread signals as the bytes come in
        }
        f.loop.runPending();

        assertThat(all.drain()).hasSize(3);
        assertThat(readTasks(f)).as("three signals folded into one read").isEqualTo(1);
        assertThat(f.link.watches()).isEqualTo(1);
        assertThat(health(f).path("read").asText()).isEqualTo("readiness");
        assertThat(health(f).path("link").asText()).isEqualTo("up");
    }

    @Test
    void where_the_link_cannot_watch_the_port_auto_polls_and_says_why() {
        BridgeFixture f = new BridgeFixture().started();
        RecordingClient all = f.subscriber("snap/all");

        f.receive(Vectors.TV1_FRAME);
        f.advance(Duration.ofSeconds(1));

        assertThat(all.drain()).hasSize(1);
        assertThat(readTasks(f)).as("one read every 5 ms").isBetween(199.0, 202.0);
        assertThat(health(f).path("read").asText()).isEqualTo("poll");
        assertThat(health(f).path("readReason").asText()).contains("cannot watch");
    }

    @Test
    void snap_read_mode_poll_polls_even_where_the_port_could_be_watched() {
        BridgeFixture f = new BridgeFixture(DEFAULTS.withReadMode(ReadMode.POLL));
        f.link.offerReadiness(true);
        f.started();
        RecordingClient all = f.subscriber("snap/all");

        f.receive(Vectors.TV1_FRAME);

        assertThat(all.drain()).hasSize(1);
        assertThat(f.link.watches()).isZero();
        assertThat(health(f).path("read").asText()).isEqualTo("poll");
        assertThat(health(f).path("readReason").asText()).isEqualTo("snap.read.mode=poll");
    }

    @Test
    void snap_read_mode_readiness_on_a_link_that_cannot_watch_keeps_the_link_down_and_says_why() {
        BridgeFixture f = new BridgeFixture(DEFAULTS.withReadMode(ReadMode.READINESS));
        RecordingClient link = f.subscriber("snap/link");
        f.started();

        assertThat(f.bridge.isLinkUp()).isFalse();
        assertThat(f.link.isOpen()).as("the port opened for the attempt is closed again").isFalse();
        assertThat(link.drain()).singleElement().satisfies(m -> {
            assertThat(m.path("message").path("message").path("state").asText()).isEqualTo("down");
            assertThat(m.path("message").path("message").path("reason").asText())
                    .contains("snap.read.mode=readiness");
        });
        f.advance(Duration.ofSeconds(2));
        assertThat(f.link.attempts()).as("retried with backoff").isGreaterThan(1);
        assertThat(f.link.opens()).isEqualTo(f.link.closes());
    }

    @Test
    void a_lost_port_is_noticed_on_its_signal_and_the_reopened_port_is_watched_afresh() {
        BridgeFixture f = new BridgeFixture();
        f.link.offerReadiness(true);
        f.started();
        RecordingClient link = f.subscriber("snap/link");
        RecordingClient all = f.subscriber("snap/all");

        f.link.unplug();
        f.link.signal(); // the library reports the hang-up; the read fails and the port is closed in that task
        f.loop.runPending();

        assertThat(f.bridge.isLinkUp()).isFalse();
        assertThat(f.link.isOpen()).isFalse();
        assertThat(link.drain()).singleElement().satisfies(m ->
                assertThat(m.path("message").path("message").path("state").asText()).isEqualTo("down"));
        f.link.signal();
        assertThat(f.loop.runPending()).as("the old port's signals are ignored").isZero();

        f.link.plugIn();
        f.advance(Duration.ofSeconds(1));
        assertThat(f.bridge.isLinkUp()).isTrue();
        assertThat(f.link.watches()).isEqualTo(2);
        f.link.feed(Vectors.TV1_FRAME);
        f.link.signal();
        f.loop.runPending();

        assertThat(all.drain()).hasSize(1);
        assertThat(Meters.count(f.context.metrics().registry(), "snap.reconnects")).isEqualTo(1);
        assertThat(readTasks(f)).isEqualTo(2);
    }

    private static double readTasks(BridgeFixture f) {
        return Meters.count(f.context.metrics().registry(), "snap.read.tasks");
    }

    private static JsonNode health(BridgeFixture f) {
        return f.bridge.healthView();
    }
}
