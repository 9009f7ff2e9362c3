package io.squall.server.snap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.SnapString;
import io.squall.snap.codec.Snapb1Codec;
import io.squall.snap.testing.Socat;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Serial input waking the bridge on a real pty (socat), against polling; unplug and replug while woken. */
@Timeout(120)
class SnapReadModeIT {
    private static final Duration SILENCE = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Socat socat;
    private TestBroker broker;
    /** The node end, held open for the whole test as a node's radio would hold it. */
    private OutputStream node;

    @AfterEach
    void stop() throws IOException {
        if (node != null) {
            node.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (socat != null) {
            socat.close();
        }
    }

    @Test
    void serial_input_wakes_the_bridge_by_default_and_a_silent_port_costs_the_loop_no_reads() throws IOException {
        start();
        try (WsTestClient browser = broker.connect()) {
            browser.call("pubsub", "subscribe", "{\"channel\":\"snap/000001/t\"}", 1);
            assertThat(snapHealth().path("read").asText()).isEqualTo("readiness");

            assertThat(readTasksOver(SILENCE)).as("read tasks while the port is silent").isZero();

            double before = readTasks();
            writeFrames(5); // one write: the bytes arrive together
            for (int i = 0; i < 5; i++) {
                assertThat(nextArg(browser)).isEqualTo("frame " + i);
            }
            assertThat(readTasks() - before).as("read tasks for five frames that came together").isBetween(1.0, 5.0);
            assertThat(readTasksOver(SILENCE)).as("read tasks once the port is silent again").isZero();
        }
    }

    @Test
    void snap_read_mode_poll_reads_every_interval_and_says_so_on_health() throws IOException {
        start("snap.read.mode=poll");
        try (WsTestClient browser = broker.connect()) {
            browser.call("pubsub", "subscribe", "{\"channel\":\"snap/000001/t\"}", 1);
            JsonNode health = snapHealth();
            assertThat(health.path("read").asText()).isEqualTo("poll");
            assertThat(health.path("readReason").asText()).isEqualTo("snap.read.mode=poll");
            assertThat(health.path("link").asText()).isEqualTo("up");

            assertThat(readTasksOver(SILENCE)).as("a 5 ms poll reads about 200 times a second").isGreaterThan(20);

            writeFrames(1);
            assertThat(nextArg(browser)).isEqualTo("frame 0");
        }
    }

    @Test
    void unplugging_and_replugging_while_woken_by_input_recovers_and_watches_the_new_port() throws IOException {
        start("snap.read.mode=readiness");
        try (WsTestClient browser = broker.connect()) {
            browser.call("pubsub", "subscribe", "{\"channel\":\"snap/link\"}", 1);
            browser.call("pubsub", "subscribe", "{\"channel\":\"snap/000001/t\"}", 2);
            writeFrames(1);
            assertThat(SnapTestBed.nextPublication(browser, "snap/000001/t").path("message").path("args").get(0)
                    .asText()).isEqualTo("frame 0");

            socat.kill();

            JsonNode down = SnapTestBed.nextPublication(browser, "snap/link").path("message");
            assertThat(down.path("state").asText()).isEqualTo("down");
            assertThat(snapHealth().path("link").asText()).isEqualTo("down");
            assertThat(SnapTestBed.processCpuShareOver(Duration.ofSeconds(2)))
                    .as("share of one core used while the port is gone").isLessThan(0.5);

            node.close();
            socat.restart();
            node = new FileOutputStream(socat.nodeEnd().toFile());

            JsonNode up = SnapTestBed.nextPublication(browser, "snap/link").path("message");
            assertThat(up.path("state").asText()).isEqualTo("up");
            assertThat(snapHealth().path("read").asText()).isEqualTo("readiness");
            assertThat(readTasksOver(SILENCE)).as("read tasks on the silent replugged port").isZero();
            writeFrames(1);
            assertThat(SnapTestBed.nextPublication(browser, "snap/000001/t").path("message").path("args").get(0)
                    .asText()).isEqualTo("frame 0");
            assertThat(broker.server().meters().get("snap.reconnects").counter().count()).isEqualTo(1);
        }
    }

    private void start(String... flags) throws IOException {
        socat = Socat.start(dir);
        node = new FileOutputStream(socat.nodeEnd().toFile());
        String[] all = new String[flags.length + 2];
        all[0] = "snap.port=" + socat.bridgeEnd();
        all[1] = "snap.reconnect.max=1s";
        System.arraycopy(flags, 0, all, 2, flags.length);
        broker = TestBroker.start(all);
        Await.until("the SNAP link is up", () -> broker.server().snapBridge().orElseThrow().isLinkUp());
    }

    private JsonNode snapHealth() {
        var response = broker.get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        try {
            return JSON.readTree(response.body()).path("details").path("snap");
        } catch (IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    private double readTasks() {
        return broker.server().meters().get("snap.read.tasks").counter().count();
    }

    private double readTasksOver(Duration window) {
        double before = readTasks();
        try {
            Thread.sleep(window.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return readTasks() - before;
    }

    /** {@code count} node RPCs {@code t("frame i")} from node 000001, in one write on the node end of the pty. */
    private void writeFrames(int count) throws IOException {
        Snapb1Codec codec = new Snapb1Codec();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            bytes.writeBytes(codec.encode(SnapMessage.unicast(1, 0x20, i, "t",
                    List.of(SnapString.latin1("frame " + i)))));
        }
        node.write(bytes.toByteArray());
        node.flush();
    }

    private static String nextArg(WsTestClient browser) {
        return SnapTestBed.nextPublication(browser).path("message").path("args").get(0).asText();
    }
}
