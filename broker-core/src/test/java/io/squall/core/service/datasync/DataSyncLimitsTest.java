package io.squall.core.service.datasync;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.service.datasync.dealer.SimpleDealer;
import io.squall.core.service.datasync.filter.FieldPath;
import io.squall.core.testing.Meters;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.RpcCalls;
import io.squall.core.testing.ServiceContexts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DataSync's bounds (none of them in Snorky but the expiry): buffer, per-connection and pending caps, expiry. */
class DataSyncLimitsTest {
    private static final String RED = "[{'dealer':'players_with_color','query':'red'}]";

    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop);
    private final RecordingClient browser = new RecordingClient("browser");
    private final RecordingClient other = new RecordingClient("other");
    private final RecordingClient webApp = new RecordingClient("web-app");
    private DataSyncService datasync;
    private RpcCalls front;
    private RpcCalls back;

    private void start(DataSyncLimits limits) {
        datasync = new DataSyncService("datasync", context,
                List.of(SimpleDealer.byField("players_with_color", "Player", FieldPath.parse("color"))), limits);
        ServiceRegistry publicRegistry = new ServiceRegistry("public", context);
        publicRegistry.register(datasync);
        ServiceRegistry privateRegistry = new ServiceRegistry("private", context);
        privateRegistry.register(new DataSyncBackendService("datasync_backend", context, datasync));
        publicRegistry.connected(browser);
        publicRegistry.connected(other);
        front = new RpcCalls(publicRegistry, "datasync");
        back = new RpcCalls(privateRegistry, "datasync_backend");
    }

    @Test
    void the_timeout_is_configurable() {
        start(new DataSyncLimits(Duration.ofSeconds(5), 1024, 128, 100));
        authorize(RED);

        loop.advance(Duration.ofSeconds(5));

        assertThat(datasync.stateSizes().values()).containsOnly(0);
    }

    @Test
    void a_full_buffer_drops_the_subscription_and_its_acquire_says_too_many_deltas() {
        start(new DataSyncLimits(Duration.ofSeconds(120), 2, 128, 100));
        String token = authorize(RED);
        publish("[{'type':'insert','model':'Player','data':{'n':1,'color':'red'}},"
                + "{'type':'insert','model':'Player','data':{'n':2,'color':'red'}}]");
        assertThat(datasync.stateSizes()).containsEntry("dealerItems", 1);

        publish("[{'type':'insert','model':'Player','data':{'n':3,'color':'red'}}]");

        assertThat(datasync.stateSizes()).containsEntry("dealerItems", 0);
        assertThat(front.error(browser, "acquireSubscription", "{'token':'" + token + "'}")).isEqualTo("Too many deltas");
        assertThat(browser.frames()).isEmpty();
        assertThat(datasync.stateSizes().values()).containsOnly(0);
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void an_overflowed_token_still_expires() {
        start(new DataSyncLimits(Duration.ofSeconds(120), 1, 128, 100));
        authorize(RED);
        publish("[{'type':'insert','model':'Player','data':{'color':'red'}},"
                + "{'type':'insert','model':'Player','data':{'color':'red'}}]");

        loop.advance(Duration.ofSeconds(120));

        assertThat(datasync.stateSizes().values()).containsOnly(0);
    }

    @Test
    void acquiring_past_the_per_client_cap_is_answered_too_many_subscriptions() {
        start(new DataSyncLimits(Duration.ofSeconds(120), 16, 1, 100));
        acquire(browser, authorize(RED));
        String second = authorize(RED);

        assertThat(front.error(browser, "acquireSubscription", "{'token':'" + second + "'}"))
                .isEqualTo("Too many subscriptions");
        acquire(other, second);
    }

    @Test
    void authorizing_past_the_pending_cap_is_answered_too_many_pending_subscriptions() {
        start(new DataSyncLimits(Duration.ofSeconds(120), 16, 8, 2));
        authorize(RED);
        String token = authorize(RED);

        assertThat(back.error(webApp, "authorizeSubscription", "{'items':" + RED + "}"))
                .isEqualTo("Too many pending subscriptions");
        acquire(browser, token);
        authorize(RED);
    }

    @Test
    void expiries_overflows_and_subscription_counts_are_metered() {
        start(new DataSyncLimits(Duration.ofSeconds(120), 1, 128, 100));
        acquire(browser, authorize(RED));
        authorize(RED);
        authorize(RED);
        assertThat(gauge("pending")).isEqualTo(2);
        assertThat(gauge("acquired")).isEqualTo(1);

        publish("[{'type':'insert','model':'Player','data':{'color':'red'}},"
                + "{'type':'insert','model':'Player','data':{'color':'red'}}]");
        loop.advance(Duration.ofSeconds(120));

        var registry = context.metrics().registry();
        assertThat(Meters.count(registry, "broker.datasync.buffer.overflows", "service", "datasync")).isEqualTo(2);
        assertThat(Meters.count(registry, "broker.datasync.tokens.expired", "service", "datasync")).isEqualTo(2);
        assertThat(gauge("pending")).isZero();
        assertThat(gauge("acquired")).isEqualTo(1);
    }

    private double gauge(String state) {
        return context.metrics().registry().find("broker.datasync.subscriptions").tags("service", "datasync",
                "state", state).gauge().value();
    }

    private String authorize(String items) {
        return back.data(webApp, "authorizeSubscription", "{'items':" + items + "}").asText();
    }

    private void acquire(RecordingClient client, String token) {
        front.data(client, "acquireSubscription", "{'token':'" + token + "'}");
        client.drain();
    }

    private void publish(String deltas) {
        back.data(webApp, "publishDeltas", "{'deltas':" + deltas + "}");
    }
}
