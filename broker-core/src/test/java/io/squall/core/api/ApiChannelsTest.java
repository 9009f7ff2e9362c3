package io.squall.core.api;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.ChannelHistory;
import io.squall.api.Channels;
import io.squall.api.ServiceError;
import io.squall.api.ServiceSetup;
import io.squall.api.SquallService;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.broker.HistorySettings;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.service.pubsub.ChannelPolicy;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.core.testing.PubSubs;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.ServiceContexts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service's channel reads ({@link Channels#history}, {@link Channels#presence}) on PubSub over the memory engine. */
class ApiChannelsTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop);
    private final PubSubService pubsub = PubSubs.memory("pubsub", context, ChannelPolicy.open(true),
            PubSubs.settings("device/* size=5 ttl=1h; room/* presence", 3));
    private final ServiceRegistry registry = new ServiceRegistry("public", context);
    private Channels channels;

    ApiChannelsTest() {
        ApiServices services = new ApiServices(context,
                ServiceBus.memory(loop, HistorySettings.DEFAULTS, Duration.ofSeconds(30)),
                (channel, data, onLoop) -> pubsub.publish(channel, data, null, onLoop), pubsub.reads());
        loop.runPending();
        services.add(registry, new SquallService() {
            @Override
            public String name() {
                return "lab";
            }

            @Override
            public void setUp(ServiceSetup setup) {
                channels = setup.channels();
            }
        });
    }

    /** What history answers: the history or the error. */
    private List<Object> history(String channel, int limit) {
        List<Object> answers = new ArrayList<>();
        channels.history(channel, limit, (value, error) -> answers.add(error != null ? error : value));
        loop.runPending();
        return answers;
    }

    private List<Object> presence(String channel) {
        List<Object> answers = new ArrayList<>();
        channels.presence(channel, (value, error) -> answers.add(error != null ? error : value));
        loop.runPending();
        return answers;
    }

    @Test
    void history_gives_the_latest_publications_oldest_first_with_the_position() {
        for (int i = 1; i <= 7; i++) {
            channels.publish("device/laser1", Map.of("nm", 1550 + i));
        }
        loop.runPending();

        List<Object> answers = history("device/laser1", 3);

        assertThat(answers).singleElement().isInstanceOfSatisfying(ChannelHistory.class, history -> {
            assertThat(history.offset()).isEqualTo(7);
            assertThat(history.epoch()).isNotBlank();
            assertThat(history.publications()).extracting(ChannelHistory.Entry::offset).containsExactly(5L, 6L, 7L);
            assertThat(history.publications().get(2).data()).isEqualTo(json("{'nm':1557}"));
        });
        assertThat(history("device/laser1", 0)).singleElement()
                .isInstanceOfSatisfying(ChannelHistory.class, h -> assertThat(h.publications()).isEmpty());
    }

    @Test
    void history_is_refused_where_the_channel_keeps_none_and_past_the_limit() {
        assertThat(history("live/only", 1)).containsExactly(
                ServiceError.HISTORY_NOT_ENABLED);
        assertThat(history("device/laser1", 4)).as("past recovery.max.publications")
                .containsExactly(ServiceError.INVALID_PARAMS);
        assertThat(history("device/laser1", -1)).containsExactly(
                ServiceError.INVALID_PARAMS);
    }

    @Test
    void presence_lists_the_subscribers_with_their_identity_where_it_is_on() {
        RecordingClient anonymous = new RecordingClient("a");
        pubsub.onMessage(anonymous, json("{'command':'subscribe','params':{'channel':'room/1'},'callId':1}"));
        loop.runPending();

        List<Object> answers = presence("room/1");

        assertThat(answers).singleElement().isInstanceOfSatisfying(Map.class, clients -> {
            assertThat(clients).hasSize(1);
            assertThat(((JsonNode) clients.values().iterator().next()).isNull()).isTrue();
        });
        assertThat(presence("device/laser1")).containsExactly(
                ServiceError.PRESENCE_NOT_ENABLED);
    }
}
