package io.squall.snap;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Service;
import io.squall.core.testing.RecordingClient;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.SnapString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapServiceTest {
    private final BridgeFixture f = new BridgeFixture().started();
    private final RecordingClient host = new RecordingClient("host");

    private JsonNode call(Service service, String command, String params) {
        service.onMessage(host, json("{'command':'" + command + "','params':" + params + ",'callId':7}"));
        f.loop.runPending();
        return host.last().path("message");
    }

    private List<SnapMessage> writtenMessages() {
        List<SnapMessage> out = new ArrayList<>();
        for (byte[] frame : f.link.written()) {
            new io.squall.snap.codec.Snapb1Codec().decode(frame, 0, frame.length, out::add);
        }
        return out;
    }

    @Test
    void rpc_writes_a_unicast_frame_from_the_host_address_and_replies_once_it_was_handed_over() {
        JsonNode reply = call(f.backend, "rpc",
                "{'address':'5D.E6.63','function':'setLed','args':[true,-3,'on',{'hex':'00ff'},{'bytes':[1,2]},null]}");

        assertThat(reply.path("type").asText()).isEqualTo("response");
        assertThat(reply.path("data").path("seq").asInt()).isEqualTo(1);
        assertThat(writtenMessages()).containsExactly(SnapMessage.unicast(0x000020, 0x5de663, 1, "setLed",
                Arrays.asList(true, -3, SnapString.latin1("on"), new SnapString(new byte[] {0, (byte) 0xff}),
                        new io.squall.snap.codec.SnapByteList(new byte[] {1, 2}), null)));
        assertThat(f.context.metrics().registry().get("snap.frames.out").counter().count()).isEqualTo(1);
    }

    @Test
    void mcast_rpc_writes_a_multicast_frame_with_group_and_ttl() {
        JsonNode reply = call(f.backend, "mcastRpc", "{'group':3,'ttl':5,'function':'reboot','args':[]}");

        assertThat(reply.path("type").asText()).isEqualTo("response");
        assertThat(writtenMessages()).containsExactly(
                SnapMessage.multicast(0x000020, 3, 5, 1, "reboot", List.of()));
    }

    @Test
    void sequence_numbers_wrap_at_one_byte() {
        for (int i = 0; i < 256; i++) {
            call(f.backend, "mcastRpc", "{'group':1,'ttl':1,'function':'f','args':[]}");
        }
        assertThat(host.last().path("message").path("data").path("seq").asInt()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rpc|{'address':'5de66','function':'f','args':[]}|Invalid address",
        "rpc|{'address':'zzzzzz','function':'f','args':[]}|Invalid address",
        "rpc|{'address':'5de663','function':'','args':[]}|Invalid function name",
        "rpc|{'address':'5de663','function':'a b','args':[]}|Invalid function name",
        "rpc|{'address':'5de663','function':'\\\"f','args':[]}|Invalid function name",
        "rpc|{'address':'5de663','function':'f','args':[32768]}|Int out of range",
        "rpc|{'address':'5de663','function':'f','args':[-32769]}|Int out of range",
        "rpc|{'address':'5de663','function':'f','args':[1.5]}|Unsupported DataType",
        "rpc|{'address':'5de663','function':'f','args':[[1,2]]}|Unsupported DataType",
        "rpc|{'address':'5de663','function':'f','args':[{'bytes':[256]}]}|Unsupported DataType",
        "rpc|{'address':'5de663','function':'f','args':{'a':1}}|Unsupported DataType",
        "rpc|{'address':'5de663','function':'f','args':[{'hex':'zz'}]}|Unsupported DataType",
        "rpc|{'address':'5de663','function':'f','args':[{'hex':'00','bytes':[]}]}|Unsupported DataType",
        "mcastRpc|{'group':0,'ttl':3,'function':'f','args':[]}|Invalid group",
        "mcastRpc|{'group':65536,'ttl':3,'function':'f','args':[]}|Invalid group",
        "mcastRpc|{'group':1,'ttl':0,'function':'f','args':[]}|Invalid TTL",
        "mcastRpc|{'group':1,'ttl':256,'function':'f','args':[]}|Invalid TTL",
        "rpc|{'address':'5de663','function':'f'}|Invalid params",
        "rpc|{'address':'5de663','function':'f','args':[],'extra':1}|Invalid params",
    })
    void calls_breaking_snap_rules_get_a_clear_error_and_write_nothing(String command, String params, String error) {
        JsonNode reply = call(f.backend, command, params);

        assertThat(reply.path("type").asText()).isEqualTo("error");
        assertThat(reply.path("message").asText()).isEqualTo(error);
        assertThat(reply.path("callId").asInt()).isEqualTo(7);
        assertThat(f.link.written()).isEmpty();
    }

    @Test
    void strings_over_255_bytes_are_refused() {
        String big = "x".repeat(256);
        assertThat(call(f.backend, "rpc", "{'address':'5de663','function':'f','args':['" + big + "']}")
                .path("message").asText()).isEqualTo("Max string length is 255");
    }

    @Test
    void a_payload_over_the_snap_limit_is_refused_but_one_at_the_limit_is_sent() {
        // 1 + 1 (name) + 1 (argc) + 2 + n: n = 103 gives exactly 108
        String fits = "y".repeat(103);
        assertThat(call(f.backend, "rpc", "{'address':'5de663','function':'f','args':['" + fits + "']}")
                .path("type").asText()).isEqualTo("response");
        assertThat(call(f.backend, "rpc", "{'address':'5de663','function':'f','args':['" + fits + "y']}")
                .path("message").asText()).isEqualTo("Payload too large");
        // multicast carries 3 bytes more
        assertThat(call(f.backend, "mcastRpc", "{'group':1,'ttl':2,'function':'f','args':['" + fits + "yyy']}")
                .path("type").asText()).isEqualTo("response");
    }

    @Test
    void the_public_service_allows_only_the_listed_functions() {
        assertThat(call(f.publicSnap, "rpc", "{'address':'5de663','function':'reboot','args':[]}")
                .path("message").asText()).isEqualTo("Not authorized");
        assertThat(call(f.publicSnap, "mcastRpc", "{'group':1,'ttl':2,'function':'reboot','args':[]}")
                .path("message").asText()).isEqualTo("Not authorized");
        assertThat(call(f.publicSnap, "rpc", "{'address':'5de663','function':'setLed','args':[true]}")
                .path("type").asText()).isEqualTo("response");
        assertThat(f.link.written()).hasSize(1);
    }

    @Test
    void rpc_while_the_link_is_down_is_answered_link_down() {
        f.link.unplug();
        f.poll();

        assertThat(call(f.backend, "rpc", "{'address':'5de663','function':'f','args':[]}").path("message").asText())
                .isEqualTo("Link down");
    }

    @Test
    void a_write_the_port_refuses_is_answered_not_sent_and_the_link_is_reopened() {
        f.link.failWrites(true);

        assertThat(call(f.backend, "rpc", "{'address':'5de663','function':'f','args':[]}").path("message").asText())
                .isEqualTo("Not sent");
        assertThat(f.bridge.isLinkUp()).isFalse();
        f.link.failWrites(false);
        f.advance(java.time.Duration.ofSeconds(1));
        assertThat(f.bridge.isLinkUp()).isTrue();
        assertThat(f.context.metrics().registry().get("snap.write.errors").counter().count()).isEqualTo(1);
    }

    @Test
    void a_full_send_queue_is_answered_send_queue_full() {
        List<Runnable> queued = new ArrayList<>();
        io.squall.snap.link.SerialWriter stalled = new io.squall.snap.link.SerialWriter(task -> {
            if (queued.size() >= 2) {
                throw new java.util.concurrent.RejectedExecutionException("full");
            }
            queued.add(task);
        });
        BridgeFixture g = new BridgeFixture(f.config, stalled, null).started();
        Service service = g.backend;

        for (int i = 0; i < 2; i++) {
            service.onMessage(host, json("{'command':'rpc','params':{'address':'5de663','function':'f','args':[]}}"));
        }
        assertThat(host.messages()).as("no reply before the frames are handed over").isEmpty();
        service.onMessage(host, json("{'command':'rpc','params':{'address':'5de663','function':'f','args':[]},"
                + "'callId':7}"));
        g.loop.runPending();

        assertThat(host.last().path("message").path("message").asText()).isEqualTo("Send queue full");
        queued.forEach(Runnable::run);
        g.loop.runPending();
        assertThat(host.messages()).filteredOn(m -> m.path("message").path("type").asText().equals("response"))
                .hasSize(2);
    }

    @Test
    void nodes_lists_the_directory_and_link_reports_the_state() {
        f.receive(f.codec.encode(SnapMessage.multicast(0x5de663, 1, 3, 1, "status", List.of(3300))));

        JsonNode nodes = call(f.publicSnap, "nodes", "{}");
        assertThat(nodes.path("data")).isEqualTo(json("[{'node':'5de663','online':true,"
                + "'firstSeen':'2026-01-01T00:00:00Z','lastSeen':'2026-01-01T00:00:00Z','messages':1,"
                + "'lastFunction':'status'}]"));
        assertThat(call(f.backend, "link", "{}").path("data").path("state").asText()).isEqualTo("up");
    }
}
