package io.squall.server.snap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The same mesh speaking the line format (snap.codec=line), as a bridge-node script would, over a real pty. */
@Timeout(120)
class SnapLineCodecIT {
    @TempDir
    Path dir;
    private SnapTestBed bed;
    private TestBroker broker;

    @BeforeEach
    void start() {
        bed = SnapTestBed.start(dir, 2, Duration.ofMillis(200), "line");
        broker = bed.broker;
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void status_lines_reach_subscribers_and_a_host_rpc_line_reaches_the_node() {
        try (WsTestClient browser = broker.connect()) {
            browser.call("pubsub", "subscribe", "{\"channel\":\"snap/5de664/status\"}", 1);
            browser.call("pubsub", "subscribe", "{\"channel\":\"snap/5de664/led\"}", 2);

            JsonNode status = browser.next().path("message").path("message");
            assertThat(status.path("function").asText()).isEqualTo("status");
            assertThat(status.path("group").asInt()).isEqualTo(1);
            assertThat(status.path("args")).hasSize(3);

            bed.awaitLinkUp();
            HttpResponse<String> reply = broker.backend("{\"service\":\"snap\",\"message\":{\"command\":\"rpc\","
                    + "\"params\":{\"address\":\"5de664\",\"function\":\"setLed\",\"args\":[true]},\"callId\":1}}");
            assertThat(reply.body()).contains("\"type\":\"response\"");
            Await.until("the node's LED is on", () -> bed.mesh.led(0x5de664));
            JsonNode led = SnapTestBed.nextPublication(browser, "snap/5de664/led").path("message");
            assertThat(led.path("args").get(0).asBoolean()).isTrue();
        }
    }
}
