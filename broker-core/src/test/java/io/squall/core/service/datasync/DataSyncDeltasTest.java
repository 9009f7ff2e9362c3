package io.squall.core.service.datasync;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * publishDeltas: Snorky's checks and error names, the update to insert/update/delete translation
 * (tests/test_update_cases_dealer.py), the dealers (test_*_dealer.py), and the delivery bugs Squall fixes.
 */
class DataSyncDeltasTest {
    private static final String UNFINISHED = "[{'dealer':'TasksFiltered','query':['==','completed',false]}]";

    private final ServiceContext context = ServiceContexts.create(new ManualEventLoop());
    private final RecordingClient browser = new RecordingClient("browser");
    private final RecordingClient webApp = new RecordingClient("web-app");
    private DataSyncService datasync;
    private ServiceRegistry privateRegistry;
    private RpcCalls front;
    private RpcCalls back;

    @BeforeEach
    void start() {
        datasync = new DataSyncService("datasync", context, List.of(
                new FilterDealer("TasksFiltered", "Task"),
                new BroadcastDealer("AllTasks", "Task"),
                SimpleDealer.byField("TasksById", "Task", FieldPath.parse("id")),
                new BroadcastDealer("AllPlayers", "Player")), DataSyncLimits.defaults());
        ServiceRegistry publicRegistry = new ServiceRegistry("public", context);
        publicRegistry.register(datasync);
        privateRegistry = new ServiceRegistry("private", context);
        privateRegistry.register(new DataSyncBackendService("datasync_backend", context, datasync));
        publicRegistry.connected(browser);
        front = new RpcCalls(publicRegistry, "datasync");
        back = new RpcCalls(privateRegistry, "datasync_backend");
    }

    @Test
    void an_update_matching_old_and_new_rows_arrives_as_sent() {
        subscribe("[{'dealer':'TasksById','query':3}]");
        Decoded request = context.codec().decode(WireFixtures.text("request-datasync-publish-deltas"));

        privateRegistry.dispatch(webApp, ((Decoded.Ok) request).envelope());

        assertThat(browser.messages()).containsExactly(WireFixtures.tree("notification-datasync-delta"));
        assertThat(webApp.last()).isEqualTo(
                json("{'service':'datasync_backend','message':{'type':'response','callId':1,'data':null}}"));
    }

    @Test
    void an_update_into_the_filter_arrives_as_an_insert_of_the_new_row() {
        subscribe("[{'dealer':'TasksFiltered','query':['==','completed',true]}]");

        update("{'id':3,'completed':true}", "{'id':3,'completed':false}");

        assertThat(browser.messages()).containsExactly(WireFixtures.tree("notification-datasync-insert"));
    }

    @Test
    void an_update_out_of_the_filter_arrives_as_a_delete_of_the_old_row() {
        subscribe(UNFINISHED);

        update("{'id':3,'completed':true}", "{'id':3,'completed':false}");

        assertThat(browser.messages()).containsExactly(WireFixtures.tree("notification-datasync-delete"));
    }

    @Test
    void an_update_matching_neither_row_is_not_delivered() {
        subscribe("[{'dealer':'TasksFiltered','query':['==','id',4]}]");

        update("{'id':3,'completed':true}", "{'id':3,'completed':false}");

        assertThat(browser.frames()).isEmpty();
    }

    @Test
    void several_matching_items_of_one_subscription_deliver_one_delta() {
        // Snorky delivered once per matching item: three identical frames here
        subscribe("[{'dealer':'TasksFiltered','query':['>','id',1]},{'dealer':'TasksFiltered','query':['<','id',9]},"
                + "{'dealer':'AllTasks','query':null}]");

        publish("[{'type':'insert','model':'Task','data':{'id':3,'completed':true}}]");

        assertThat(browser.messages()).containsExactly(WireFixtures.tree("notification-datasync-insert"));
    }

    @Test
    void items_that_translate_an_update_differently_merge_into_the_subscriptions_view() {
        // one item sees the row only after (insert), the other before and after (update): the subscription saw it
        // before, so it gets the update, once
        subscribe("[{'dealer':'TasksFiltered','query':['==','completed',true]},{'dealer':'TasksById','query':3}]");

        update("{'id':3,'completed':true}", "{'id':3,'completed':false}");

        assertThat(browser.messages()).containsExactly(WireFixtures.tree("notification-datasync-delta"));
    }

    @Test
    void each_subscription_gets_its_own_translation() {
        RecordingClient second = new RecordingClient("second");
        subscribe(UNFINISHED);
        String token = back.data(webApp, "authorizeSubscription",
                "{'items':[{'dealer':'TasksFiltered','query':['==','completed',true]}]}").asText();
        front.data(second, "acquireSubscription", "{'token':'" + token + "'}");
        second.drain();

        update("{'id':3,'completed':true}", "{'id':3,'completed':false}");

        assertThat(browser.messages()).containsExactly(WireFixtures.tree("notification-datasync-delete"));
        assertThat(second.messages()).containsExactly(WireFixtures.tree("notification-datasync-insert"));
    }

    @Test
    void a_delta_goes_only_to_dealers_of_its_model() {
        subscribe("[{'dealer':'AllPlayers','query':null}]");

        publish("[{'type':'insert','model':'Task','data':{'id':1}}]");

        assertThat(browser.frames()).isEmpty();
    }

    @Test
    void a_delta_for_an_unknown_model_is_refused_and_nothing_is_delivered() {
        subscribe("[{'dealer':'AllTasks','query':null}]");

        // Snorky delivered the first delta, then failed with "Internal error"
        assertThat(back.error(webApp, "publishDeltas", "{'deltas':[{'type':'insert','model':'Task','data':{'id':1}},"
                + "{'type':'insert','model':'Ghost','data':{'id':2}}]}")).isEqualTo("No such model");

        assertThat(browser.frames()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{'model':'Task','data':{}}                              | Missing field",
        "{'type':'insert','data':{}}                             | Missing field",
        "{'type':'insert','model':'Task'}                        | Missing field",
        "{'type':'delete','model':'Task'}                        | Missing field",
        "{'type':'update','model':'Task','newData':{}}           | Missing field",
        "{'type':'update','model':'Task','oldData':{}}           | Missing field",
        "{'type':'insert','model':5,'data':{}}                   | model must be string",
        "{'type':'upsert','model':'Task','data':{}}              | Invalid delta type",
        "{'type':1,'model':'Task','data':{}}                     | Invalid delta type",
        "'insert'                                                | Invalid params"
    })
    void a_bad_delta_is_refused_and_nothing_is_delivered(String badDelta, String error) {
        subscribe("[{'dealer':'AllTasks','query':null}]");

        assertThat(back.error(webApp, "publishDeltas",
                "{'deltas':[{'type':'insert','model':'Task','data':{'id':1}}," + badDelta + "]}")).isEqualTo(error);

        assertThat(browser.frames()).isEmpty();
    }

    @Test
    void deltas_must_be_a_list() {
        assertThat(back.error(webApp, "publishDeltas", "{'deltas':{'type':'insert'}}")).isEqualTo("Invalid params");
        assertThat(back.error(webApp, "publishDeltas", "{}")).isEqualTo("Invalid params");
    }

    @Test
    void deltas_are_delivered_in_the_order_published() {
        subscribe("[{'dealer':'AllTasks','query':null}]");

        publish("[{'type':'insert','model':'Task','data':{'id':1}},{'type':'update','model':'Task',"
                + "'newData':{'id':1,'x':2},'oldData':{'id':1}},{'type':'delete','model':'Task','data':{'id':1,'x':2}}]");

        assertThat(browser.messages()).extracting(m -> m.at("/message/delta/type").asText())
                .containsExactly("insert", "update", "delete");
    }

    @Test
    void a_simple_dealer_compares_keys_structurally() {
        subscribe("[{'dealer':'TasksById','query':3}]");

        publish("[{'type':'insert','model':'Task','data':{'id':3.0}},{'type':'insert','model':'Task','data':{'id':'3'}},"
                + "{'type':'insert','model':'Task','data':{'name':'no id'}}]");

        assertThat(browser.messages()).hasSize(1);
    }

    private void subscribe(String items) {
        String token = back.data(webApp, "authorizeSubscription", "{'items':" + items + "}").asText();
        front.data(browser, "acquireSubscription", "{'token':'" + token + "'}");
        browser.drain();
    }

    private void update(String newData, String oldData) {
        publish("[{'type':'update','model':'Task','newData':" + newData + ",'oldData':" + oldData + "}]");
    }

    private void publish(String deltas) {
        back.data(webApp, "publishDeltas", "{'deltas':" + deltas + "}");
    }
}
