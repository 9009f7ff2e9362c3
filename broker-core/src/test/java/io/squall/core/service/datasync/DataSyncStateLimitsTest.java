package io.squall.core.service.datasync;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.service.datasync.dealer.BroadcastDealer;
import io.squall.core.state.StateLimits;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.RpcCalls;
import io.squall.core.testing.ServiceContexts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DataSync tokens under {@code max.key.bytes}; acquired subscriptions count theirs in the connection's budget. */
class DataSyncStateLimitsTest {
    private static final String ITEMS = "{'items':[{'dealer':'AllTasks','query':null}]}";

    private final ServiceContext context = ServiceContexts.create(new ManualEventLoop(), new StateLimits(40, 80));
    private final DataSyncService datasync = new DataSyncService("datasync", context,
            List.of(new BroadcastDealer("AllTasks", "Task")), DataSyncLimits.defaults());
    private final ServiceRegistry publicRegistry = new ServiceRegistry("public", context);
    private final ServiceRegistry privateRegistry = new ServiceRegistry("private", context);
    private final RpcCalls front = new RpcCalls(publicRegistry, "datasync");
    private final RpcCalls back = new RpcCalls(privateRegistry, "datasync_backend");
    private final RecordingClient browser = new RecordingClient("browser");
    private final RecordingClient webApp = new RecordingClient("web-app");

    DataSyncStateLimitsTest() {
        publicRegistry.register(datasync);
        privateRegistry.register(new DataSyncBackendService("datasync_backend", context, datasync));
        publicRegistry.connected(browser);
    }

    @Test
    void an_oversized_token_is_invalid_params() {
        for (String command : new String[] {"acquireSubscription", "cancelSubscription"}) {
            assertThat(front.error(browser, command, "{'token':'" + "t".repeat(41) + "'}")).as(command)
                    .isEqualTo("Invalid params");
        }
    }

    @Test
    void acquired_tokens_count_against_the_budget_until_cancelled_or_disconnected() {
        String first = authorize();
        String second = authorize();
        String third = authorize();
        front.data(browser, "acquireSubscription", "{'token':'" + first + "'}");
        front.data(browser, "acquireSubscription", "{'token':'" + second + "'}");
        assertThat(context.budget().heldBy(browser)).isEqualTo(64); // two 32-character tokens

        assertThat(front.error(browser, "acquireSubscription", "{'token':'" + third + "'}")).isEqualTo("Too much state");
        assertThat(datasync.stateSizes().get("pending")).as("still there to acquire later").isEqualTo(1);
        front.data(browser, "cancelSubscription", "{'token':'" + first + "'}");
        front.data(browser, "acquireSubscription", "{'token':'" + third + "'}");
        assertThat(context.budget().heldBy(browser)).isEqualTo(64);

        publicRegistry.disconnected(browser);

        assertThat(context.budget().total()).isZero();
        assertThat(context.budget().holders()).isZero();
    }

    private String authorize() {
        return back.data(webApp, "authorizeSubscription", ITEMS).asText();
    }
}
