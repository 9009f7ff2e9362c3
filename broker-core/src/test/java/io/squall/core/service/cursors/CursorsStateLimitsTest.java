package io.squall.core.service.cursors;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.state.StateLimits;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.RpcCalls;
import io.squall.core.testing.ServiceContexts;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Cursors under {@code max.key.bytes} (documents, private handles) and {@code max.connection.state.bytes}
 * (documents joined, and each cursor's handle, position and status).
 */
class CursorsStateLimitsTest {
    private final ServiceContext context = ServiceContexts.create(new ManualEventLoop(), new StateLimits(16, 64));
    private final CursorsService cursors = new CursorsService("cursors", context, 128, new SplittableRandom(7));
    private final ServiceRegistry registry = new ServiceRegistry("public", context);
    private final RpcCalls rpc = new RpcCalls(registry, "cursors");
    private final RecordingClient alice = new RecordingClient("alice").withIdentity(json("'Alice'"));

    CursorsStateLimitsTest() {
        registry.register(cursors);
        registry.connected(alice);
    }

    @Test
    void an_oversized_document_or_handle_is_invalid_params() {
        String big = "'" + "d".repeat(17) + "'";
        assertThat(rpc.error(alice, "join", "{'document':" + big + "}")).isEqualTo("Invalid params");
        rpc.data(alice, "join", "{'document':'doc'}");
        assertThat(rpc.error(alice, "createCursor", "{'privateHandle':" + big + ",'document':'doc','position':1,"
                + "'status':null}")).isEqualTo("Invalid params");
        assertThat(rpc.error(alice, "removeCursor", "{'privateHandle':" + big + "}")).isEqualTo("Invalid params");
        assertThat(context.budget().heldBy(alice)).isEqualTo(3);
    }

    @Test
    void a_cursor_counts_its_handle_position_and_status_and_may_not_grow_past_the_budget() {
        rpc.data(alice, "join", "{'document':'doc'}"); // 3
        rpc.data(alice, "createCursor", "{'privateHandle':1,'document':'doc','position':'" + "p".repeat(20) + "',"
                + "'status':[1,2]}"); // 1 + 20 + 5
        assertThat(context.budget().heldBy(alice)).isEqualTo(29);

        assertThat(rpc.error(alice, "createCursor", "{'privateHandle':2,'document':'doc','position':'"
                + "p".repeat(31) + "','status':null}")).isEqualTo("Too much state"); // 1 + 31 + 4 > 35 left
        assertThat(rpc.error(alice, "updateCursor", "{'privateHandle':1,'newData':{'position':'"
                + "q".repeat(56) + "'}}")).isEqualTo("Too much state");
        assertThat(cursors.stateSizes().get("cursorOwners")).isEqualTo(1);
        assertThat(context.budget().heldBy(alice)).as("nothing half-applied").isEqualTo(29);

        rpc.data(alice, "updateCursor", "{'privateHandle':1,'newData':{'position':0}}");
        assertThat(context.budget().heldBy(alice)).as("a smaller cursor gives bytes back").isEqualTo(3 + 1 + 1 + 5);
        rpc.data(alice, "removeCursor", "{'privateHandle':1}");
        assertThat(context.budget().heldBy(alice)).isEqualTo(3);
    }

    @Test
    void leaving_and_disconnecting_give_everything_back() {
        rpc.data(alice, "join", "{'document':'doc'}");
        rpc.data(alice, "join", "{'document':'other'}");
        rpc.data(alice, "createCursor", "{'privateHandle':1,'document':'doc','position':1,'status':null}");
        rpc.data(alice, "createCursor", "{'privateHandle':2,'document':'other','position':1,'status':null}");
        rpc.data(alice, "leave", "{'document':'doc'}");
        assertThat(context.budget().heldBy(alice)).isEqualTo(5 + 1 + 1 + 4);

        registry.disconnected(alice);

        assertThat(context.budget().total()).isZero();
        assertThat(context.budget().holders()).isZero();
    }
}
