package io.squall.server.cluster;

import static io.squall.server.cluster.CursorsNodes.assertSilent;
import static io.squall.server.cluster.CursorsNodes.data;
import static io.squall.server.cluster.CursorsNodes.error;
import static io.squall.server.cluster.CursorsNodes.notification;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.json.Json;
import io.squall.server.testing.Await;
import io.squall.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cursors' single-node behaviour (CursorsServiceTest's cases) with clients spread over 1, 2 and 3 nodes sharing one
 * real Redis: client {@code i} of a case is on node {@code i % n}, so on 2 and 3 nodes the owner of a cursor and the
 * clients told of it are on different nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CursorsAcrossNodesIT {
    private static final Duration QUIET = Duration.ofMillis(300);
    private final AtomicInteger documents = new AtomicInteger();
    private CursorsNodes cluster;

    @BeforeAll
    void start() {
        cluster = new CursorsNodes(3);
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @AfterEach
    void nothing_is_left_on_any_node() {
        cluster.closeClients();
        // removals still on their way to Redis when the last client went finish within moments
        Await.until("nothing left on any node", () -> cluster.stateSizes().stream().allMatch(size -> size == 0));
    }

    /** alice, alice's laptop and bob in one document, charlie in another: on nodes 0, 1, 2, 0 of {@code n}. */
    private final class Case {
        final String sheet = "'Sheet" + documents.incrementAndGet() + "'";
        final String other = "'Other" + documents.get() + "'";
        final WsTestClient alice;
        final WsTestClient aliceLaptop;
        final WsTestClient bob;
        final WsTestClient charlie;

        Case(int n) {
            alice = cluster.connect(0, "Alice");
            aliceLaptop = cluster.connect(1 % n, "Alice");
            bob = cluster.connect(2 % n, "Bob");
            charlie = cluster.connect(3 % n, "Charlie");
            for (WsTestClient client : List.of(alice, aliceLaptop, bob)) {
                assertThat(data(call(client, "join", "{'document':" + sheet + "}")).get("cursors")).isEmpty();
            }
            data(call(charlie, "join", "{'document':" + other + "}"));
        }

        int createAliceCursor() {
            int handle = data(call(alice, "createCursor",
                    "{'privateHandle':1,'document':" + sheet + ",'position':12,'status':'focused'}")).intValue();
            notification(bob);
            notification(aliceLaptop);
            return handle;
        }

        JsonNode cursor(int handle, int position, String status) {
            return json("{'publicHandle':" + handle + ",'document':" + sheet + ",'position':" + position
                    + ",'status':'" + status + "','owner':'Alice'}");
        }
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void added_updated_and_removed_reach_every_other_member_with_snorkys_messages(int n) {
        Case c = new Case(n);
        int handle = data(call(c.alice, "createCursor",
                "{'privateHandle':1,'document':" + c.sheet + ",'position':12,'status':'focused'}")).intValue();
        for (WsTestClient other : List.of(c.bob, c.aliceLaptop)) {
            assertThat(notification(other)).isEqualTo(message("cursorAdded", c.cursor(handle, 12, "focused")));
        }

        assertThat(data(call(c.alice, "updateCursor", "{'privateHandle':1,'newData':{'position':13,'owner':'M'}}"))
                .isNull()).isTrue();
        for (WsTestClient other : List.of(c.bob, c.aliceLaptop)) {
            assertThat(notification(other)).isEqualTo(message("cursorUpdated", c.cursor(handle, 13, "focused")));
        }

        assertThat(data(call(c.alice, "removeCursor", "{'privateHandle':1}")).isNull()).isTrue();
        for (WsTestClient other : List.of(c.bob, c.aliceLaptop)) {
            assertThat(notification(other)).isEqualTo(message("cursorRemoved",
                    json("{'publicHandle':" + handle + ",'document':" + c.sheet + "}")));
        }
        assertSilent(c.alice, QUIET);
        assertSilent(c.charlie, Duration.ZERO);
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void a_client_joining_on_any_node_gets_the_cursors_already_there(int n) {
        Case c = new Case(n);
        int handle = c.createAliceCursor();
        data(call(c.alice, "updateCursor", "{'privateHandle':1,'newData':{'status':'writing'}}"));
        notification(c.bob);

        for (int node = 0; node < n; node++) {
            WsTestClient late = cluster.connect(node, "Dave");
            assertThat(data(call(late, "join", "{'document':" + c.sheet + "}")).get("cursors"))
                    .containsExactly(c.cursor(handle, 12, "writing"));
        }
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void errors_are_answered_as_on_one_node(int n) {
        Case c = new Case(n);
        c.createAliceCursor();

        assertThat(error(call(c.alice, "join", "{'document':" + c.sheet + "}"))).isEqualTo("Already joined");
        assertThat(error(call(c.alice, "createCursor", "{'privateHandle':1,'document':" + c.sheet
                + ",'position':15,'status':'x'}"))).isEqualTo("Reused handle");
        assertThat(error(call(c.alice, "createCursor", "{'privateHandle':2,'document':'nowhere','position':1,"
                + "'status':null}"))).isEqualTo("Not joined");
        assertThat(error(call(c.bob, "removeCursor", "{'privateHandle':1}"))).isEqualTo("No such cursor");
        assertThat(error(call(c.alice, "updateCursor", "{'privateHandle':1,'newData':[13]}")))
                .isEqualTo("Invalid params");
        assertThat(error(call(cluster.connect(n - 1, "Eve"), "leave", "{'document':" + c.sheet + "}")))
                .isEqualTo("Not joined");
        for (int i = 2; i <= 16; i++) {
            data(call(c.alice, "createCursor", "{'privateHandle':" + i + ",'document':" + c.sheet
                    + ",'position':1,'status':0}"));
        }
        assertThat(error(call(c.alice, "createCursor", "{'privateHandle':17,'document':" + c.sheet
                + ",'position':1,'status':0}"))).isEqualTo("Too many cursors");
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void leave_and_disconnect_remove_the_clients_cursors_and_tell_each_document(int n) {
        Case c = new Case(n);
        int first = c.createAliceCursor();
        data(call(c.alice, "join", "{'document':" + c.other + "}"));
        int second = data(call(c.alice, "createCursor",
                "{'privateHandle':2,'document':" + c.other + ",'position':1,'status':'focused'}")).intValue();
        assertThat(notification(c.charlie).path("type").asText()).isEqualTo("cursorAdded");

        data(call(c.alice, "leave", "{'document':" + c.sheet + "}"));
        assertThat(notification(c.bob)).isEqualTo(message("cursorRemoved",
                json("{'publicHandle':" + first + ",'document':" + c.sheet + "}")));
        assertSilent(c.charlie, QUIET);

        c.alice.close();
        assertThat(notification(c.charlie)).isEqualTo(message("cursorRemoved",
                json("{'publicHandle':" + second + ",'document':" + c.other + "}")));
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void public_handles_stay_unique_in_a_document_while_clients_on_every_node_create_at_once(int n) {
        String sheet = "'Busy" + documents.incrementAndGet() + "'";
        List<WsTestClient> writers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            WsTestClient writer = cluster.connect(i % n, "writer" + i);
            data(call(writer, "join", "{'document':" + sheet + "}"));
            writers.add(writer);
        }
        for (WsTestClient writer : writers) { // sent without waiting: the creates race across nodes
            for (int k = 0; k < 4; k++) {
                writer.send(json("{'service':'cursors','message':{'command':'createCursor','params':{'privateHandle':"
                        + k + ",'document':" + sheet + ",'position':0,'status':null},'callId':" + k + "}}").toString());
            }
        }
        Set<Integer> replied = new HashSet<>();
        for (WsTestClient writer : writers) {
            CursorsNodes.responses(writer, 4).values().forEach(reply -> replied.add(data(reply).intValue()));
        }
        WsTestClient reader = cluster.connect(n - 1, "reader");
        JsonNode cursors = data(call(reader, "join", "{'document':" + sheet + "}")).get("cursors");
        Set<Integer> seen = new HashSet<>();
        cursors.forEach(cursor -> seen.add(cursor.get("publicHandle").intValue()));
        assertThat(cursors).hasSize(48);
        assertThat(seen).as("48 cursors, 48 handles").hasSize(48).isEqualTo(replied);
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2, 3})
    void every_member_on_every_node_sees_the_changes_of_a_document_in_one_order(int n) {
        String sheet = "'Race" + documents.incrementAndGet() + "'";
        List<WsTestClient> writers = List.of(cluster.connect(0, "w0"), cluster.connect(1 % n, "w1"));
        List<WsTestClient> watchers = List.of(cluster.connect(1 % n, "v0"), cluster.connect(2 % n, "v1"),
                cluster.connect(0, "v2"));
        for (WsTestClient client : List.of(writers.get(0), writers.get(1), watchers.get(0), watchers.get(1),
                watchers.get(2))) {
            data(call(client, "join", "{'document':" + sheet + "}"));
        }
        for (WsTestClient writer : writers) {
            data(call(writer, "createCursor", "{'privateHandle':0,'document':" + sheet + ",'position':0,'status':0}"));
        }
        int updates = 40;
        for (int i = 1; i <= updates; i++) { // interleaved, without waiting for the replies
            for (WsTestClient writer : writers) {
                writer.send("{\"service\":\"cursors\",\"message\":{\"command\":\"updateCursor\",\"params\":"
                        + "{\"privateHandle\":0,\"newData\":{\"position\":" + i + "}},\"callId\":" + i + "}}");
            }
        }
        for (WsTestClient writer : writers) {
            assertThat(CursorsNodes.responses(writer, updates).values()).as("every update answered")
                    .allSatisfy(reply -> assertThat(data(reply).isNull()).as(reply.toString()).isTrue());
        }
        List<List<String>> seen = new ArrayList<>();
        for (WsTestClient watcher : watchers) {
            List<String> order = new ArrayList<>();
            while (order.size() < 2 + 2 * updates) {
                String frame = watcher.poll(Duration.ofSeconds(10));
                assertThat(frame).as("after %s", order).isNotNull();
                JsonNode message = json(frame).path("message");
                order.add(message.path("type").asText() + " " + message.at("/cursor/publicHandle").asInt() + " "
                        + message.at("/cursor/position").asInt());
            }
            seen.add(order);
        }
        assertThat(seen.get(1)).isEqualTo(seen.get(0));
        assertThat(seen.get(2)).isEqualTo(seen.get(0));
    }

    private static JsonNode call(WsTestClient client, String command, String params) {
        return client.call("cursors", command, json(params).toString(), 1);
    }

    private static JsonNode message(String type, JsonNode cursor) {
        return Json.mapper().createObjectNode().put("type", type).set("cursor", cursor);
    }

    private static JsonNode json(String singleQuoted) {
        try {
            return Json.mapper().readTree(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(singleQuoted, e);
        }
    }
}
