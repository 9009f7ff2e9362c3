package io.squall.snap;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.squall.core.testing.Meters;
import io.squall.core.testing.RecordingClient;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.SnapString;
import io.squall.snap.codec.Vectors;
import io.squall.snap.link.SerialSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapBridgeTest {
    private static final byte[] TV1_FRAME = Vectors.TV1_FRAME;

    private final BridgeFixture f = new BridgeFixture();

    @Test
    void a_node_multicast_is_published_on_its_templated_channel_and_the_all_channel() {
        f.started();
        RecordingClient status = f.subscriber("snap/5de663/status");
        RecordingClient all = f.subscriber("snap/all");

        f.receive(TV1_FRAME);

        JsonNode expected = json("{'kind':'multicast','src':'5de663','group':1,'ttl':3,'seq':42,'function':'status',"
                + "'args':[3300,true,126],'time':'2026-01-01T00:00:00Z'}");
        assertThat(status.drain()).singleElement().satisfies(m -> {
            assertThat(m.path("message").path("channel").asText()).isEqualTo("snap/5de663/status");
            assertThat(m.path("message").path("message")).isEqualTo(expected);
        });
        assertThat(all.drain()).singleElement()
                .satisfies(m -> assertThat(m.path("message").path("message")).isEqualTo(expected));
    }

    @Test
    void unicast_publication_carries_destination_and_byte_strings_as_text_or_hex() {
        f.started();
        RecordingClient all = f.subscriber("snap/all");
        SnapMessage report = SnapMessage.unicast(0x0a0b0c, 0x20, 7, "report", java.util.Arrays.asList(null,
                SnapString.latin1("ok"), new SnapString(new byte[] {0, 0x66, (byte) 0x9b}),
                new io.squall.snap.codec.SnapByteList(new byte[] {1, (byte) 255})));

        f.receive(f.codec.encode(report));

        assertThat(all.drain().get(0).path("message").path("message")).isEqualTo(json("{'kind':'unicast',"
                + "'src':'0a0b0c','dst':'000020','ttl':0,'seq':7,'function':'report',"
                + "'args':[null,'ok',{'hex':'00669b'},{'bytes':[1,255]}],'time':'2026-01-01T00:00:00Z'}"));
    }

    @Test
    void the_channel_template_is_configurable() {
        BridgeFixture g = new BridgeFixture(withTemplate("mesh.{kind}.{dst}.{function}.{src}"));
        g.started();
        RecordingClient client = g.subscriber("mesh.multicast.g1.status.5de663");

        g.receive(TV1_FRAME);

        assertThat(client.drain()).hasSize(1);
    }

    @Test
    void a_function_name_is_inserted_once_and_escaped_so_it_cannot_steer_into_another_channel() {
        f.started();
        RecordingClient all = f.subscriber("snap/all");
        List<String> names = List.of("x{kind}", "../x", "a/b", "{src}", "100%", "caf\u00e9 up");
        List<String> channels = List.of("snap/5de663/x%7Bkind%7D", "snap/5de663/%2E%2E%2Fx", "snap/5de663/a%2Fb",
                "snap/5de663/%7Bsrc%7D", "snap/5de663/100%25", "snap/5de663/caf%C3%A9%20up");
        List<RecordingClient> subscribers = channels.stream().map(f::subscriber).toList();
        List<RecordingClient> steeredTo = List.of("snap/5de663/xmulticast", "snap/5de663/../x", "snap/5de663/a/b",
                "snap/5de663/5de663").stream().map(f::subscriber).toList();

        for (String name : names) {
            f.receive(f.codec.encode(SnapMessage.multicast(0x5de663, 1, 3, 1, name, List.of())));
        }

        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            assertThat(subscribers.get(i).drain()).as(name).singleElement().satisfies(m -> {
                assertThat(m.path("message").path("message").path("function").asText()).isEqualTo(name);
            });
        }
        steeredTo.forEach(client -> assertThat(client.drain()).isEmpty());
        assertThat(all.drain()).hasSize(names.size());
    }

    @Test
    void escaping_leaves_the_template_text_alone_and_keeps_safe_values_as_they_are() {
        BridgeFixture g = new BridgeFixture(withTemplate("mesh {kind}/{function}/{function}%"));
        g.started();
        RecordingClient client = g.subscriber("mesh multicast/status/status%");

        g.receive(TV1_FRAME);

        assertThat(client.drain()).hasSize(1);
    }

    @Test
    void link_state_and_node_joins_and_leaves_are_published() {
        RecordingClient link = f.subscriber("snap/link");
        RecordingClient nodes = f.subscriber("snap/nodes");
        f.started();
        assertThat(link.drain()).singleElement()
                .satisfies(m -> assertThat(m.path("message").path("message").path("state").asText()).isEqualTo("up"));

        f.receive(TV1_FRAME);
        f.receive(TV1_FRAME);
        List<JsonNode> joined = nodes.drain();
        assertThat(joined).hasSize(1);
        assertThat(joined.get(0).path("message").path("message").path("event").asText()).isEqualTo("joined");
        assertThat(joined.get(0).path("message").path("message").path("node").asText()).isEqualTo("5de663");

        f.advance(Duration.ofSeconds(66));
        List<JsonNode> left = nodes.drain();
        assertThat(left).singleElement().satisfies(m ->
                assertThat(m.path("message").path("message").path("event").asText()).isEqualTo("left"));

        f.receive(TV1_FRAME);
        assertThat(nodes.drain()).singleElement().satisfies(m ->
                assertThat(m.path("message").path("message").path("event").asText()).isEqualTo("joined"));
    }

    @Test
    void a_port_closed_by_jvm_shutdown_stops_the_bridge_quietly_instead_of_reporting_an_outage() {
        RecordingClient link = f.subscriber("snap/link");
        f.started();
        link.drain();

        f.link.shutDown();
        f.poll();
        f.advance(Duration.ofSeconds(20));

        assertThat(f.link.isOpen()).isFalse();
        assertThat(f.bridge.isLinkUp()).isFalse();
        assertThat(f.link.attempts()).as("no reopening").isEqualTo(1);
        assertThat(link.drain()).as("no link-down report").isEmpty();
        assertThat(Meters.count(f.context.metrics().registry(), "snap.link.lost")).isZero();
    }

    @Test
    void a_lost_port_is_closed_at_once_and_reopened_when_it_returns() {
        RecordingClient link = f.subscriber("snap/link");
        f.started();
        link.drain();

        f.link.unplug();
        f.poll();

        assertThat(f.link.isOpen()).isFalse();
        assertThat(f.bridge.isLinkUp()).isFalse();
        assertThat(link.drain()).singleElement().satisfies(m -> {
            assertThat(m.path("message").path("message").path("state").asText()).isEqualTo("down");
            assertThat(m.path("message").path("message").path("retryInMillis").asLong()).isEqualTo(500);
        });
        f.advance(Duration.ofSeconds(20));
        assertThat(link.drain()).as("one down report per outage, not one per attempt").isEmpty();

        f.link.plugIn();
        f.advance(Duration.ofSeconds(10));

        assertThat(f.bridge.isLinkUp()).isTrue();
        assertThat(f.link.opens()).isEqualTo(2);
        assertThat(link.drain()).singleElement().satisfies(m ->
                assertThat(m.path("message").path("message").path("state").asText()).isEqualTo("up"));
        MeterRegistry meters = f.context.metrics().registry();
        assertThat(Meters.count(meters, "snap.link.lost")).isEqualTo(1);
        assertThat(Meters.count(meters, "snap.reconnects")).isEqualTo(1);
    }

    @Test
    void reopen_attempts_back_off_from_the_minimum_doubling_up_to_the_maximum() {
        f.started();
        f.link.unplug();
        f.poll();
        long lostAt = f.loop.nanoTime();
        List<Long> attemptsAtMillis = new ArrayList<>();
        int seen = f.link.attempts();
        for (int step = 0; step < 600; step++) {
            f.advance(Duration.ofMillis(100));
            if (f.link.attempts() != seen) {
                seen = f.link.attempts();
                attemptsAtMillis.add((f.loop.nanoTime() - lostAt) / 1_000_000);
            }
        }
        // 0.5 s, then +1, +2, +4, +8 s, then every 10 s (polls are 5 ms apart, so times are rounded up to 100 ms)
        assertThat(attemptsAtMillis).startsWith(500L, 1500L, 3500L, 7500L, 15_500L, 25_500L, 35_500L);
    }

    @Test
    void decoding_resumes_cleanly_after_a_reconnect_with_a_partial_frame_pending() {
        f.started();
        RecordingClient all = f.subscriber("snap/all");
        f.receive(java.util.Arrays.copyOf(TV1_FRAME, 12));
        f.link.unplug();
        f.poll();
        f.link.plugIn();
        f.advance(Duration.ofSeconds(1));
        assertThat(f.bridge.isLinkUp()).isTrue();

        f.receive(java.util.Arrays.copyOfRange(TV1_FRAME, 12, TV1_FRAME.length));
        f.receive(TV1_FRAME);

        assertThat(all.drain()).hasSize(1);
        assertThat(f.codec.stats().dropped()).isZero();
    }

    @Test
    void metrics_count_frames_in_and_codec_errors() {
        f.started();
        byte[] corrupt = TV1_FRAME.clone();
        corrupt[14] ^= 1;
        f.receive(TV1_FRAME);
        f.receive(corrupt);
        MeterRegistry meters = f.context.metrics().registry();
        assertThat(meters.get("snap.frames.in").functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("snap.frames.dropped").tag("reason", "crc").functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("snap.link.up").gauge().value()).isEqualTo(1);
        assertThat(meters.get("snap.nodes.online").gauge().value()).isEqualTo(1);
        assertThat(meters.get("snap.bytes.in").counter().count()).isEqualTo(2.0 * TV1_FRAME.length);
    }

    @Test
    void a_flooding_port_is_read_in_bounded_slices_per_poll() {
        f.started();
        RecordingClient all = f.subscriber("snap/all");
        byte[] many = new byte[TV1_FRAME.length * 5000];
        for (int i = 0; i < 5000; i++) {
            System.arraycopy(TV1_FRAME, 0, many, i * TV1_FRAME.length, TV1_FRAME.length);
        }
        f.receive(many);
        int first = all.drain().size();
        assertThat(first).isGreaterThan(0).isLessThan(5000);
        f.advance(Duration.ofMillis(100));
        assertThat(first + all.drain().size()).isEqualTo(5000);
    }

    @Test
    void close_stops_every_timer_and_closes_the_port() {
        f.started();
        f.bridge.close();
        assertThat(f.link.isOpen()).isFalse();
        assertThat(f.loop.pendingTimers()).isZero();
    }

    @Test
    void the_brokers_stop_stops_the_bridge_with_its_services() {
        f.started();
        f.stop();

        assertThat(f.link.isOpen()).isFalse();
        assertThat(f.bridge.isRunning()).isFalse();
        assertThat(f.loop.pendingTimers()).isZero();
    }

    @Test
    void a_port_still_opening_when_the_broker_stops_is_closed_by_the_worker_that_opened_it() {
        f.setUp(); // the open waits for a worker
        f.stop(); // the stopped service hears no result: the worker itself closes what it opened

        assertThat(f.link.opens()).isEqualTo(1);
        assertThat(f.link.isOpen()).isFalse();
    }

    @Test
    void a_port_missing_at_start_is_retried_until_it_appears() {
        f.link.unplug();
        f.started();
        assertThat(f.bridge.isLinkUp()).isFalse();
        f.advance(Duration.ofSeconds(3));
        f.link.plugIn();
        f.advance(Duration.ofSeconds(5));
        assertThat(f.bridge.isLinkUp()).isTrue();
        assertThat(Meters.count(f.context.metrics().registry(), "snap.reconnects")).isZero();
    }

    private static SnapBridgeConfig withTemplate(String template) {
        SnapBridgeConfig d = SnapBridgeConfig.defaults(SerialSettings.of("/dev/fake", 38400));
        return new SnapBridgeConfig(d.serial(), d.codec(), template, d.allChannel(), d.nodesChannel(),
                d.linkChannel(), d.nodeTimeout(), d.maxNodes(), d.pollInterval(), d.reconnectMin(),
                d.reconnectMax(), d.hostAddress(), d.serviceName(), d.publicFunctions(), d.sendQueue(),
                d.readMode(), d.ownerTtl());
    }
}
