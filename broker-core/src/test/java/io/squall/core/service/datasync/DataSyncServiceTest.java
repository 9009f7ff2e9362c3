package io.squall.core.service.datasync;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Decoded;
import io.squall.core.service.datasync.dealer.BroadcastDealer;
import io.squall.core.service.datasync.dealer.FilterDealer;
import io.squall.core.service.datasync.dealer.SimpleDealer;
import io.squall.core.service.datasync.filter.FieldPath;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.RpcCalls;
import io.squall.core.testing.ServiceContexts;
import io.squall.core.testing.WireFixtures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mirrors Snorky's tests/test_datasync_service.py: tokens, acquire, buffering, expiry, cancel, disconnect. */
class DataSyncServiceTest {
    private static final String RED = "[{'dealer':'players_with_color','query':'red'}]";

    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop);
    private final RecordingClient browser = new RecordingClient("browser");
    private final RecordingClient other = new RecordingClient("other");
    private final RecordingClient webApp = new RecordingClient("web-app");
    private DataSyncService datasync;
    private ServiceRegistry publicRegistry;
    private ServiceRegistry privateRegistry;
    private RpcCalls front;
    private RpcCalls back;

    @BeforeEach
    void start() {
        start(DataSyncLimits.defaults());
    }

    private void start(DataSyncLimits limits) {
        datasync = new DataSyncService("datasync", context, List.of(
                SimpleDealer.byField("players_with_color", "Player", FieldPath.parse("color")),
                SimpleDealer.byField("TasksByOwner", "Task", FieldPath.parse("owner.name")),
                new FilterDealer("TasksFiltered", "Task"),
                new BroadcastDealer("AllTasks", "Task")), limits);
        publicRegistry = new ServiceRegistry("public", context);
        publicRegistry.register(datasync);
        privateRegistry = new ServiceRegistry("private", context);
        privateRegistry.register(new DataSyncBackendService("datasync_backend", context, datasync));
        publicRegistry.connected(browser);
        publicRegistry.connected(other);
        front = new RpcCalls(publicRegistry, "datasync");
        back = new RpcCalls(privateRegistry, "datasync_backend");
    }

    @Test
    void authorize_returns_a_32_character_token_and_arms_its_expiry() {
        Decoded request = context.codec().decode(WireFixtures.text("request-datasync-authorize"));

        privateRegistry.dispatch(webApp, ((Decoded.Ok) request).envelope());

        JsonNode reply = webApp.last();
        assertThat(reply.at("/message/data").asText()).matches("[a-z0-9]{32}");
        ((ObjectNode) reply.get("message")).put("data", "0123456789abcdefghijklmnopqrstuv");
        assertThat(reply).isEqualTo(WireFixtures.tree("response-datasync-token"));
        assertThat(loop.pendingTimers()).isEqualTo(1);
        assertThat(datasync.stateSizes()).containsEntry("subscriptions", 1).containsEntry("pending", 1);
    }

    @Test
    void tokens_differ() {
        assertThat(authorize(RED)).isNotEqualTo(authorize(RED));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[{'dealer':{},'query':'meow'}]                          | dealer should be a dealer name",
        "[{'foo':'bar','query':'meow'}]                          | Missing field 'dealer'",
        "[{'dealer':'players_with_color'}]                       | Missing field 'query'",
        "[{'dealer':'whatever','query':''}]                      | No such dealer",
        "[{'dealer':'TasksFiltered','query':'not a filter'}]     | Invalid query",
        "[{'dealer':'TasksFiltered','query':['~','a',1]}]        | Invalid query",
        "{'dealer':'players_with_color','query':'red'}           | Invalid params",
        "['players_with_color']                                  | Invalid params"
    })
    void a_bad_item_is_refused_and_leaves_nothing_behind(String items, String error) {
        String good = "{'dealer':'players_with_color','query':'red'}";
        String withGoodFirst = items.startsWith("[") ? "[" + good + "," + items.substring(1) : items;

        assertThat(back.error(webApp, "authorizeSubscription", "{'items':" + withGoodFirst + "}")).isEqualTo(error);

        // Snorky registered the token before checking a filter query, and never armed its expiry: a leak
        assertThat(datasync.stateSizes().values()).containsOnly(0);
        assertThat(loop.pendingTimers()).isZero();
    }

    @Test
    void acquire_replies_null_and_stops_the_expiry() {
        String token = authorize(RED);

        assertThat(front.data(browser, "acquireSubscription", "{'token':'" + token + "'}").isNull()).isTrue();

        assertThat(loop.pendingTimers()).isZero();
        assertThat(datasync.stateSizes()).containsEntry("pending", 0).containsEntry("clients", 1);
    }

    @Test
    void acquiring_an_unknown_token_is_answered_no_such_subscription() {
        assertThat(front.error(browser, "acquireSubscription", "{'token':'foo'}")).isEqualTo("No such subscription");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"acquireSubscription | 1", "cancelSubscription | 5",
        "acquireSubscription | null", "cancelSubscription | ['x']"})
    void a_token_that_is_not_a_string_is_answered_token_must_be_string(String command, String token) {
        assertThat(front.error(browser, command, "{'token':" + token + "}")).isEqualTo("token must be string");
    }

    @Test
    void a_second_acquire_is_answered_already_acquired() {
        String token = authorize(RED);
        acquire(browser, token);

        // Snorky raised RuntimeError here: "Internal error"
        assertThat(front.error(browser, "acquireSubscription", "{'token':'" + token + "'}")).isEqualTo("Already acquired");
        assertThat(front.error(other, "acquireSubscription", "{'token':'" + token + "'}")).isEqualTo("Already acquired");

        publish("[{'type':'insert','model':'Player','data':{'name':'Alice','color':'red'}}]");
        assertThat(browser.messages()).hasSize(1);
        assertThat(other.frames()).isEmpty();
    }

    @Test
    void a_matching_delta_reaches_the_acquirer() {
        acquire(browser, authorize(RED));

        publish("[{'type':'insert','model':'Player','data':{'name':'Alice','color':'red'}}]");

        assertThat(browser.messages()).containsExactly(json("{'service':'datasync','message':{'type':'delta',"
                + "'delta':{'type':'insert','model':'Player','data':{'name':'Alice','color':'red'}}}}"));
    }

    @Test
    void a_delta_that_does_not_match_is_not_delivered() {
        acquire(browser, authorize(RED));

        publish("[{'type':'insert','model':'Player','data':{'name':'Alice','color':'blue'}}]");

        assertThat(browser.frames()).isEmpty();
    }

    @Test
    void deltas_published_before_the_acquire_are_delivered_before_its_reply() {
        String token = authorize(RED);
        publish("[{'type':'insert','model':'Player','data':{'n':1,'color':'red'}},"
                + "{'type':'delete','model':'Player','data':{'n':2,'color':'red'}}]");
        assertThat(datasync.stateSizes()).containsEntry("subscriptions", 1);

        publicRegistry.dispatch(browser, new io.squall.core.protocol.Envelope("datasync",
                json("{'command':'acquireSubscription','params':{'token':'" + token + "'},'callId':9}")));

        assertThat(browser.messages())
                .extracting(m -> m.at("/message/type").asText() + " " + m.at("/message/delta/type").asText())
                .containsExactly("delta insert", "delta delete", "response ");
    }

    @Test
    void an_unacquired_token_expires_after_the_timeout() {
        String token = authorize(RED);
        publish("[{'type':'insert','model':'Player','data':{'color':'red'}}]");

        loop.advance(Duration.ofSeconds(119));
        assertThat(datasync.stateSizes()).containsEntry("subscriptions", 1);
        loop.advance(Duration.ofSeconds(1));

        assertThat(datasync.stateSizes().values()).containsOnly(0);
        assertThat(front.error(browser, "acquireSubscription", "{'token':'" + token + "'}")).isEqualTo("No such subscription");
    }

    @Test
    void an_acquired_subscription_never_expires() {
        acquire(browser, authorize(RED));

        loop.advance(Duration.ofHours(1));
        publish("[{'type':'insert','model':'Player','data':{'color':'red'}}]");

        assertThat(browser.messages()).hasSize(1);
    }

    @Test
    void cancel_removes_the_subscription() {
        String token = authorize(RED);
        acquire(browser, token);

        assertThat(front.data(browser, "cancelSubscription", "{'token':'" + token + "'}").isNull()).isTrue();
        publish("[{'type':'insert','model':'Player','data':{'color':'red'}}]");

        assertThat(browser.frames()).isEmpty();
        assertThat(datasync.stateSizes().values()).containsOnly(0);
    }

    @Test
    void cancelling_an_unknown_token_or_anothers_or_an_unacquired_one_is_answered_no_such_subscription() {
        String acquired = authorize(RED);
        acquire(browser, acquired);
        String unacquired = authorize(RED);

        assertThat(front.error(browser, "cancelSubscription", "{'token':'foo'}")).isEqualTo("No such subscription");
        assertThat(front.error(other, "cancelSubscription", "{'token':'" + acquired + "'}")).isEqualTo("No such subscription");
        assertThat(front.error(browser, "cancelSubscription", "{'token':'" + unacquired + "'}"))
                .isEqualTo("No such subscription");
        assertThat(datasync.stateSizes()).containsEntry("subscriptions", 2);
    }

    @Test
    void disconnect_cancels_every_subscription_of_the_client() {
        acquire(browser, authorize(RED));
        acquire(browser, authorize("[{'dealer':'AllTasks','query':null}]"));

        publicRegistry.disconnected(browser);
        publish("[{'type':'insert','model':'Player','data':{'color':'red'}}]");

        assertThat(browser.frames()).isEmpty();
        assertThat(datasync.stateSizes().values()).containsOnly(0);
    }

    @Test
    void an_empty_item_list_is_a_subscription_that_gets_nothing() {
        acquire(browser, authorize("[]"));

        publish("[{'type':'insert','model':'Task','data':{'id':1}}]");

        assertThat(browser.frames()).isEmpty();
    }

    @Test
    void a_simple_dealer_keys_on_a_dotted_field() {
        acquire(browser, authorize("[{'dealer':'TasksByOwner','query':'alice'}]"));

        publish("[{'type':'insert','model':'Task','data':{'id':1,'owner':{'name':'alice'}}},"
                + "{'type':'insert','model':'Task','data':{'id':2,'owner':{'name':'bob'}}},"
                + "{'type':'insert','model':'Task','data':{'id':3,'owner':'alice'}}]");

        assertThat(browser.messages()).extracting(m -> m.at("/message/delta/data/id").intValue()).containsExactly(1);
    }

    @Test
    void every_subscriber_gets_the_same_encoded_frame() {
        acquire(browser, authorize(RED));
        acquire(other, authorize(RED));

        publish("[{'type':'insert','model':'Player','data':{'color':'red'}}]");

        assertThat(other.frames()).singleElement().isSameAs(browser.frames().get(0));
    }

    @Test
    void nothing_is_left_after_many_clients_come_and_go() {
        for (int i = 0; i < 300; i++) {
            RecordingClient client = new RecordingClient("c" + i);
            publicRegistry.connected(client);
            acquire(client, authorize("[{'dealer':'TasksFiltered','query':['>','id'," + i + "]},"
                    + "{'dealer':'AllTasks','query':null}]"));
            acquire(client, authorize(RED));
            authorize(RED); // never acquired: expires
        }
        publish("[{'type':'insert','model':'Task','data':{'id':150}}]");
        for (var client : List.copyOf(publicRegistry.clients())) {
            publicRegistry.disconnected(client);
        }
        loop.advance(Duration.ofSeconds(120));

        assertThat(datasync.stateSizes().values()).containsOnly(0);
        assertThat(loop.pendingTimers()).isZero();
    }

    // ---- helpers

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
