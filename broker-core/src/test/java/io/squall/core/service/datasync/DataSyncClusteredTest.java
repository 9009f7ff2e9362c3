package io.squall.core.service.datasync;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.HistorySettings;
import io.squall.core.broker.MemoryBroker;
import io.squall.core.broker.MemoryPresence;
import io.squall.core.cluster.MemoryClaims;
import io.squall.core.cluster.ServiceBus;
import io.squall.api.JsonKey;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.service.datasync.dealer.SimpleDealer;
import io.squall.core.service.datasync.filter.FieldPath;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.RpcCalls;
import io.squall.core.testing.ServiceContexts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * DataSync's clustered path on the memory engine's parts (a bus that says it is clustered, so tokens and deltas go
 * through claims and a topic with history), and the memory engine's bus, which must cost nothing of the kind.
 */
class DataSyncClusteredTest {
    private static final String ALICE = "[{'dealer':'TasksByOwner','query':'alice'}]";
    private static final String INSERT_ALICE = "{'type':'insert','model':'Task','data':{'id':1,'owner':'alice'}}";

    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop);
    private final RecordingClient browser = new RecordingClient("browser");
    private final RecordingClient webApp = new RecordingClient("web-app");
    private ServiceBus bus;
    private DataSyncService datasync;
    private RpcCalls front;
    private RpcCalls back;

    private void start(boolean clustered, int historySize) {
        bus = clustered
                ? new ServiceBus(loop, "n1", true, new MemoryBroker(loop, HistorySettings.DEFAULTS),
                        new MemoryPresence(loop, Duration.ofSeconds(60)), new MemoryClaims(loop), () -> Set.of("n1"))
                : ServiceBus.memory(loop, HistorySettings.DEFAULTS, Duration.ofSeconds(60));
        datasync = new DataSyncService("datasync", context,
                List.of(SimpleDealer.byField("TasksByOwner", "Task", FieldPath.parse("owner"))),
                new DataSyncLimits(Duration.ofSeconds(120), 2, 128, 100), bus, historySize);
        ServiceRegistry publicRegistry = new ServiceRegistry("public", context);
        publicRegistry.register(datasync);
        ServiceRegistry privateRegistry = new ServiceRegistry("private", context);
        privateRegistry.register(new DataSyncBackendService("datasync_backend", context, datasync));
        publicRegistry.connected(browser);
        front = new RpcCalls(publicRegistry, "datasync");
        back = new RpcCalls(privateRegistry, "datasync_backend");
        loop.runPending();
    }

    @Test
    void a_token_lives_in_the_claims_and_its_deltas_come_back_from_the_history_through_the_dealers() {
        start(true, 100);
        String token = back.data(webApp, "authorizeSubscription", "{'items':" + ALICE + "}").asText();
        assertThat(claims("tokens")).containsOnlyKeys(token);
        assertThat(claims("tokens").get(token).path("node").asText()).isEqualTo("n1");
        back.data(webApp, "publishDeltas", "{'deltas':[" + INSERT_ALICE + "]}");
        assertThat(datasync.stateSizes()).containsEntry("pending", 1).containsEntry("subscriptions", 0);

        assertThat(front.data(browser, "acquireSubscription", "{'token':'" + token + "'}").isNull()).isTrue();

        assertThat(browser.drain()).extracting(m -> m.at("/message/delta/data/id").asInt()).containsExactly(1);
        assertThat(claims("tokens")).as("taken").isEmpty();
        assertThat(claims("acquired")).containsOnlyKeys(token);
        assertThat(datasync.stateSizes()).containsEntry("pending", 0).containsEntry("subscriptions", 1)
                .containsEntry("replays", 0);
        assertThat(front.error(browser, "acquireSubscription", "{'token':'" + token + "'}"))
                .isEqualTo("Already acquired");

        datasync.onDisconnect(browser);
        assertThat(claims("acquired")).isEmpty();
        assertThat(datasync.stateSizes().values()).containsOnly(0);
    }

    @Test
    void the_buffer_bound_and_a_trimmed_history_are_too_many_deltas() {
        start(true, 3);
        String over = back.data(webApp, "authorizeSubscription", "{'items':" + ALICE + "}").asText();
        back.data(webApp, "publishDeltas", "{'deltas':[" + INSERT_ALICE + "," + INSERT_ALICE + "," + INSERT_ALICE
                + "]}");
        assertThat(front.error(browser, "acquireSubscription", "{'token':'" + over + "'}")).isEqualTo("Too many deltas");
        String trimmed = back.data(webApp, "authorizeSubscription", "{'items':" + ALICE + "}").asText();
        for (int i = 0; i < 4; i++) { // none for alice, but the history keeps 3 calls
            back.data(webApp, "publishDeltas", "{'deltas':[{'type':'insert','model':'Task','data':{'owner':'bob'}}]}");
        }
        assertThat(front.error(browser, "acquireSubscription", "{'token':'" + trimmed + "'}"))
                .isEqualTo("Too many deltas");
        assertThat(browser.drain()).as("nothing half-delivered").isEmpty();
        assertThat(claims("acquired")).isEmpty();
        assertThat(datasync.stateSizes().values()).containsOnly(0);
    }

    @Test
    void a_resync_drops_the_acquired_subscriptions_and_tells_their_clients_and_a_dead_nodes_claims_go() {
        start(true, 100);
        String token = back.data(webApp, "authorizeSubscription", "{'items':" + ALICE + "}").asText();
        front.data(browser, "acquireSubscription", "{'token':'" + token + "'}");
        bus.claims().claim(key("acquired"), "someone-elses", json("{'node':'n2','conn':'n2/1'}"),
                Duration.ofMinutes(1), (ok, failure) -> { });

        bus.nodeDown("n2");
        assertThat(claims("acquired")).containsOnlyKeys(token);
        bus.resync("test");

        assertThat(browser.drain()).containsExactly(json("{'service':'datasync','message':{'type':'unsubscribed',"
                + "'token':'" + token + "','code':2500,'reason':'Insufficient state'}}"));
        assertThat(claims("acquired")).isEmpty();
        assertThat(datasync.stateSizes().values()).containsOnly(0);
    }

    @Test
    void the_memory_engine_keeps_everything_in_the_service_and_nothing_in_the_bus() {
        start(false, 100);
        String token = back.data(webApp, "authorizeSubscription", "{'items':" + ALICE + "}").asText();
        back.data(webApp, "publishDeltas", "{'deltas':[" + INSERT_ALICE + "]}");
        front.data(browser, "acquireSubscription", "{'token':'" + token + "'}");

        assertThat(browser.drain()).hasSize(1);
        assertThat(claims("tokens")).isEmpty();
        assertThat(claims("acquired")).isEmpty();
        AtomicReference<Long> top = new AtomicReference<>();
        bus.history(key("deltas"), HistoryQuery.POSITION_ONLY, (result, failure) -> top.set(result.position().offset()));
        assertThat(top.get()).as("no delta went through the bus").isZero();
        assertThat(datasync.stateSizes()).doesNotContainKey("replays");
    }

    private JsonKey key(String part) {
        return JsonKey.of(json("['datasync','datasync','" + part + "']"));
    }

    private Map<String, JsonNode> claims(String part) {
        AtomicReference<Map<String, JsonNode>> all = new AtomicReference<>();
        bus.claims().all(key(part), (names, failure) -> all.set(names));
        return all.get();
    }
}
