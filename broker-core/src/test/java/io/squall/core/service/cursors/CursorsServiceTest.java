package io.squall.core.service.cursors;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.broker.HistorySettings;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Envelope;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.RpcCalls;
import io.squall.core.testing.ServiceContexts;
import io.squall.core.testing.WireFixtures;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mirrors Snorky's tests/test_cursor.py, plus unique public handles per document and the document cap. */
class CursorsServiceTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop);
    private final RecordingClient alice = new RecordingClient("alice").withIdentity(json("'Alice'"));
    private final RecordingClient aliceLaptop = new RecordingClient("alice-laptop").withIdentity(json("'Alice'"));
    private final RecordingClient bob = new RecordingClient("bob").withIdentity(json("'Bob'"));
    private final RecordingClient charlie = new RecordingClient("charlie").withIdentity(json("'Charlie'"));
    private final RecordingClient anonymous = new RecordingClient("anonymous");
    private final ScriptedRandom random = new ScriptedRandom();
    private CursorsService cursors;
    private ServiceRegistry registry;
    private RpcCalls rpc;

    @BeforeEach
    void start() {
        start(128);
    }

    private void start(int maxDocuments) {
        cursors = new CursorsService("cursors", context, maxDocuments, random);
        registry = new ServiceRegistry("public", context);
        registry.register(cursors);
        List.of(alice, aliceLaptop, bob, charlie, anonymous).forEach(registry::connected);
        rpc = new RpcCalls(registry, "cursors");
    }

    @Test
    void an_anonymous_join_is_answered_not_authenticated() {
        assertThat(rpc.error(anonymous, "join", "{'document':'Sheet1'}")).isEqualTo("Not authenticated");
        assertThat(cursors.stateSizes().values()).containsOnly(0);
    }

    @Test
    void joining_twice_is_answered_already_joined() {
        joinAll();

        assertThat(rpc.error(alice, "join", "{'document':'Sheet1'}")).isEqualTo("Already joined");
    }

    @Test
    void create_cursor_replies_the_public_handle_and_tells_the_other_clients_of_the_document() {
        joinAll();
        random.next(4242);

        registry.dispatch(alice, new Envelope("cursors", json(
                "{'command':'createCursor','params':{'privateHandle':1,'document':'Sheet1','position':12,"
                        + "'status':'focused'},'callId':1}")));

        assertThat(alice.messages()).containsExactly(WireFixtures.tree("response-cursors-create"));
        assertThat(bob.messages()).containsExactly(WireFixtures.tree("notification-cursors-added"));
        assertThat(aliceLaptop.messages()).containsExactly(WireFixtures.tree("notification-cursors-added"));
        assertThat(charlie.frames()).isEmpty();
    }

    @Test
    void a_joining_client_gets_the_cursors_already_there() {
        joinAll();
        createAliceCursor(4242);

        registry.dispatch(charlie, new Envelope("cursors", json("{'command':'join','params':{'document':'Sheet1'},'callId':0}")));

        assertThat(charlie.messages()).containsExactly(WireFixtures.tree("response-cursors-join"));
    }

    @Test
    void reusing_a_private_handle_is_answered_reused_handle() {
        joinAll();
        createAliceCursor(4242);

        assertThat(rpc.error(alice, "createCursor",
                "{'privateHandle':1,'document':'Sheet1','position':15,'status':'focused'}")).isEqualTo("Reused handle");
    }

    @Test
    void creating_a_cursor_in_a_document_not_joined_is_answered_not_joined() {
        joinAll();

        assertThat(rpc.error(alice, "createCursor",
                "{'privateHandle':1,'document':'Sheet2','position':1,'status':null}")).isEqualTo("Not joined");
    }

    @Test
    void the_seventeenth_cursor_of_a_client_is_answered_too_many_cursors() {
        joinAll();
        for (int i = 0; i < 16; i++) {
            rpc.data(alice, "createCursor", "{'privateHandle':" + i + ",'document':'Sheet1','position':10,'status':'x'}");
        }

        assertThat(rpc.error(alice, "createCursor",
                "{'privateHandle':17,'document':'Sheet1','position':10,'status':'x'}")).isEqualTo("Too many cursors");
        // the same identity on another connection has its own 16
        assertThat(rpc.data(aliceLaptop, "createCursor",
                "{'privateHandle':1,'document':'Sheet1','position':17,'status':'x'}").isInt()).isTrue();
    }

    @Test
    void update_changes_position_and_status_and_tells_the_others() {
        joinAll();
        createAliceCursor(4242);

        assertThat(rpc.data(alice, "updateCursor", "{'privateHandle':1,'newData':{'position':13,'status':'writing'}}")
                .isNull()).isTrue();

        assertThat(bob.messages()).containsExactly(WireFixtures.tree("notification-cursors-updated"));
        assertThat(aliceLaptop.messages()).containsExactly(WireFixtures.tree("notification-cursors-updated"));
        assertThat(alice.frames()).isEmpty();
        assertThat(charlie.frames()).isEmpty();
    }

    @Test
    void update_keeps_what_new_data_leaves_out_and_ignores_other_keys() {
        joinAll();
        createAliceCursor(4242);

        rpc.data(alice, "updateCursor", "{'privateHandle':1,'newData':{'position':13,'owner':'Mallory'}}");

        assertThat(bob.last().at("/message/cursor")).isEqualTo(
                json("{'publicHandle':4242,'document':'Sheet1','position':13,'status':'focused','owner':'Alice'}"));
    }

    @Test
    void update_needs_new_data_to_be_an_object() {
        joinAll();
        createAliceCursor(4242);

        assertThat(rpc.error(alice, "updateCursor", "{'privateHandle':1,'newData':[13]}")).isEqualTo("Invalid params");
    }

    @Test
    void updating_or_removing_an_unknown_cursor_is_answered_no_such_cursor() {
        joinAll();
        createAliceCursor(4242);

        assertThat(rpc.error(alice, "updateCursor", "{'privateHandle':15,'newData':{'position':2}}"))
                .isEqualTo("No such cursor");
        assertThat(rpc.error(alice, "removeCursor", "{'privateHandle':15}")).isEqualTo("No such cursor");
        // another client's private handle is not one's own
        assertThat(rpc.error(bob, "removeCursor", "{'privateHandle':1}")).isEqualTo("No such cursor");
    }

    @Test
    void remove_tells_the_others_the_public_handle_and_document() {
        joinAll();
        createAliceCursor(4242);

        assertThat(rpc.data(alice, "removeCursor", "{'privateHandle':1}").isNull()).isTrue();

        assertThat(bob.messages()).containsExactly(WireFixtures.tree("notification-cursors-removed"));
        assertThat(aliceLaptop.messages()).containsExactly(WireFixtures.tree("notification-cursors-removed"));
        assertThat(alice.frames()).isEmpty();
        assertThat(charlie.frames()).isEmpty();
        assertThat(cursors.stateSizes().get("cursorOwners")).isZero();
    }

    @Test
    void leave_removes_the_clients_cursors_of_that_document_only() {
        joinAll();
        createAliceCursor(4242);
        rpc.data(alice, "join", "{'document':'Sheet2'}");
        rpc.data(alice, "createCursor", "{'privateHandle':2,'document':'Sheet2','position':1,'status':'focused'}");
        charlie.drain();

        assertThat(rpc.data(alice, "leave", "{'document':'Sheet1'}").isNull()).isTrue();

        assertThat(bob.messages()).containsExactly(WireFixtures.tree("notification-cursors-removed"));
        assertThat(charlie.frames()).isEmpty();
        assertThat(rpc.data(charlie, "leave", "{'document':'Sheet2'}").isNull()).isTrue();
        assertThat(rpc.error(alice, "leave", "{'document':'Sheet1'}")).isEqualTo("Not joined");
    }

    @Test
    void leaving_a_document_not_joined_is_answered_not_joined() {
        assertThat(rpc.error(alice, "leave", "{'document':'Sheet3'}")).isEqualTo("Not joined");
    }

    @Test
    void disconnect_removes_every_cursor_and_tells_each_document() {
        joinAll();
        createAliceCursor(4242);
        rpc.data(alice, "join", "{'document':'Sheet2'}");
        random.next(7);
        rpc.data(alice, "createCursor", "{'privateHandle':2,'document':'Sheet2','position':1,'status':'focused'}");
        charlie.drain();

        registry.disconnected(alice);

        assertThat(bob.messages()).containsExactly(WireFixtures.tree("notification-cursors-removed"));
        assertThat(aliceLaptop.messages()).containsExactly(WireFixtures.tree("notification-cursors-removed"));
        assertThat(charlie.messages()).containsExactly(
                json("{'service':'cursors','message':{'type':'cursorRemoved','cursor':{'publicHandle':7,'document':'Sheet2'}}}"));
        assertThat(alice.frames()).isEmpty();
    }

    @Test
    void public_handles_never_collide_within_a_document() {
        joinAll();
        random.next(4242, 4242, 4242, 99);
        JsonNode first = rpc.data(alice, "createCursor", "{'privateHandle':1,'document':'Sheet1','position':1,'status':0}");

        // Snorky checked only the caller's own cursors: bob would have got 4242 too and overwritten alice's entry
        JsonNode second = rpc.data(bob, "createCursor", "{'privateHandle':1,'document':'Sheet1','position':2,'status':0}");
        rpc.data(alice, "removeCursor", "{'privateHandle':1}");

        assertThat(first.intValue()).isEqualTo(4242);
        assertThat(second.intValue()).isEqualTo(99);
        assertThat(rpc.data(charlie, "join", "{'document':'Sheet1'}").get("cursors"))
                .extracting(cursor -> cursor.get("publicHandle").intValue()).containsExactly(99);
    }

    @Test
    void the_same_public_handle_may_be_used_in_two_documents() {
        joinAll();
        random.next(5, 5);

        rpc.data(alice, "createCursor", "{'privateHandle':1,'document':'Sheet1','position':1,'status':0}");
        JsonNode other = rpc.data(charlie, "createCursor", "{'privateHandle':1,'document':'Sheet2','position':1,'status':0}");

        assertThat(other.intValue()).isEqualTo(5);
    }

    @Test
    void joining_past_the_cap_is_answered_too_many_documents() {
        start(1);
        rpc.data(alice, "join", "{'document':'Sheet1'}");

        assertThat(rpc.error(alice, "join", "{'document':'Sheet2'}")).isEqualTo("Too many documents");
    }

    @Test
    void nothing_is_left_after_many_clients_come_and_go() {
        for (int i = 0; i < 300; i++) {
            RecordingClient client = new RecordingClient("c" + i).withIdentity(json("'user" + i + "'"));
            registry.connected(client);
            rpc.data(client, "join", "{'document':'doc" + (i % 5) + "'}");
            rpc.data(client, "createCursor", "{'privateHandle':'a','document':'doc" + (i % 5) + "','position':1,'status':0}");
            rpc.data(client, "createCursor", "{'privateHandle':'b','document':'doc" + (i % 5) + "','position':2,'status':0}");
            rpc.data(client, "updateCursor", "{'privateHandle':'a','newData':{'position':3}}");
        }
        for (var client : List.copyOf(registry.clients())) {
            registry.disconnected(client);
        }

        assertThat(cursors.stateSizes().values()).containsOnly(0);
    }

    @Test
    void on_the_memory_engines_bus_documents_stay_local_and_answered_at_once() {
        cursors = new CursorsService("cursors", context, 128, random,
                ServiceBus.memory(loop, HistorySettings.DEFAULTS, Duration.ofSeconds(60)), Duration.ofSeconds(20));
        registry = new ServiceRegistry("public", context);
        registry.register(cursors);
        List.of(alice, bob).forEach(registry::connected);
        rpc = new RpcCalls(registry, "cursors");
        rpc.data(alice, "join", "{'document':'Sheet1'}");
        rpc.data(bob, "join", "{'document':'Sheet1'}");
        random.next(4242);

        assertThat(rpc.data(alice, "createCursor", "{'privateHandle':1,'document':'Sheet1','position':12,"
                + "'status':'focused'}").intValue()).isEqualTo(4242);

        assertThat(bob.messages()).containsExactly(WireFixtures.tree("notification-cursors-added"));
        assertThat(cursors.stateSizes()).as("no cluster views: nothing goes through the bus")
                .doesNotContainKey("views");
    }

    // ---- helpers

    private void joinAll() {
        rpc.data(alice, "join", "{'document':'Sheet1'}");
        rpc.data(aliceLaptop, "join", "{'document':'Sheet1'}");
        rpc.data(bob, "join", "{'document':'Sheet1'}");
        rpc.data(charlie, "join", "{'document':'Sheet2'}");
    }

    private void createAliceCursor(int publicHandle) {
        random.next(publicHandle);
        rpc.data(alice, "createCursor", "{'privateHandle':1,'document':'Sheet1','position':12,'status':'focused'}");
        List.of(alice, aliceLaptop, bob, charlie).forEach(RecordingClient::drain);
    }

    /** Returns the scripted handles first, then pseudo-random ones. */
    private static final class ScriptedRandom implements RandomGenerator {
        private final Deque<Integer> script = new ArrayDeque<>();
        private final SplittableRandom fallback = new SplittableRandom(1);

        void next(int... values) {
            for (int value : values) {
                script.add(value);
            }
        }

        @Override
        public int nextInt(int bound) {
            Integer scripted = script.poll();
            return scripted != null ? scripted : fallback.nextInt(bound);
        }

        @Override
        public long nextLong() {
            return fallback.nextLong();
        }
    }
}
