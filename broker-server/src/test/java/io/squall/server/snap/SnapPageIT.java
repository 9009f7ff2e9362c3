package io.squall.server.snap;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.Await;
import io.squall.server.testing.HeadlessChromium;
import io.squall.server.testing.TestBroker;
import io.squall.snap.sim.SnapSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The live page in a real headless browser: simulated nodes appear with their values, and an LED RPC works. */
@Timeout(180) // a browser or a socat restart on a loaded 2-core machine takes a while
class SnapPageIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private SnapTestBed bed;
    private SnapSimulator mesh;
    private TestBroker broker;

    @BeforeEach
    void start() {
        bed = SnapTestBed.start(dir, 3, Duration.ofMillis(300), "snapb1", "snap.public.functions=setLed");
        mesh = bed.mesh;
        broker = bed.broker;
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    private URI page() {
        return URI.create("http://127.0.0.1:" + broker.server().publicPort() + "/snap/");
    }

    @Test
    void the_page_its_script_and_the_client_bundle_are_served_on_the_public_port() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> html = http.send(HttpRequest.newBuilder(page()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.body()).contains("<script type=\"module\" src=\"snap.js\"></script>");
        for (String script : new String[] {"snap.js", "squall.min.js"}) {
            HttpResponse<String> js = http.send(HttpRequest.newBuilder(page().resolve(script)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(js.statusCode()).as(script).isEqualTo(200);
            // a module script is refused by browsers unless served as JavaScript
            assertThat(js.headers().firstValue("Content-Type").orElse("")).as(script).contains("javascript");
        }
    }

    @Test
    void simulated_nodes_appear_live_and_the_led_control_switches_a_node() throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.open(dir.resolve("chromium-profile"), page())) {
            browser.awaitTruthy("three nodes listed", "document.querySelectorAll('#nodes tr').length === 3", WAIT);
            String status = browser.awaitTruthy("node 5de663 shows a status",
                    "document.querySelector('tr[data-node=\"5de663\"] td[data-fn=\"status\"]')?.textContent", WAIT)
                    .asText();
            assertThat(status).matches("\\d{4}, (true|false), \\d+");
            String firstSeen = browser.evaluate(
                    "document.querySelector('tr[data-node=\"5de663\"] td.seen').getAttribute('data-time')").asText();
            browser.awaitTruthy("values keep updating", "document.querySelector('tr[data-node=\"5de663\"] td.seen')"
                    + ".getAttribute('data-time') !== '" + firstSeen + "'", WAIT);
            browser.awaitTruthy("the client is connected",
                    "document.getElementById('ws-state').textContent === 'connected'", WAIT);
            browser.awaitTruthy("the link shows up", "document.getElementById('link-state').textContent === 'up'", WAIT);

            browser.evaluate("document.getElementById('rpc-node').value = '5de664';"
                    + "document.getElementById('rpc-function').value = 'setLed';"
                    + "document.getElementById('rpc-args').value = '[true]';"
                    + "document.getElementById('rpc-send').click(); true");

            browser.awaitTruthy("the RPC was handed to the serial port",
                    "document.getElementById('rpc-result').getAttribute('data-seq')", WAIT);
            Await.until("the simulated node's LED is on", WAIT, () -> mesh.led(0x5de664));
            assertThat(browser.awaitTruthy("the node's led answer is shown",
                    "document.querySelector('tr[data-node=\"5de664\"] td[data-fn=\"led\"]')?.textContent", WAIT)
                    .asText()).isEqualTo("true");

            browser.evaluate("document.getElementById('rpc-function').value = 'reboot';"
                    + "document.getElementById('rpc-send').click(); true");
            assertThat(browser.awaitTruthy("a function outside the allow-list is refused",
                    "document.getElementById('rpc-result').className === 'error'"
                    + " && document.getElementById('rpc-result').textContent", WAIT).asText())
                    .isEqualTo("error: Not authorized");
        }
    }
}
