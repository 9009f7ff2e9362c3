package io.squall.core.service.pubsub;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.broker.Broker;
import io.squall.core.broker.HistorySettings;
import io.squall.core.broker.MemoryBroker;
import io.squall.core.broker.MemoryPresence;
import io.squall.core.broker.PublishResult;
import io.squall.api.JsonKey;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Envelope;
import io.squall.core.testing.PubSubs;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.ServiceContexts;
import java.time.Duration;
import java.util.List;

/**
 * A PubSub service and its backend on a given broker, driven through the registries as the transports do, with the
 * wire helpers the positions, recovery and gap tests share.
 */
abstract class PubSubFixture {
    static final Duration META_TTL = Duration.ofHours(1);
    static final HistorySettings HISTORY = new HistorySettings(META_TTL, Duration.ofMinutes(5), 1000);
    static final Duration PRESENCE_TTL = Duration.ofSeconds(60);
    /**
     * news:* history of 5 for ten minutes and presence; small:* a history of 2; room:* presence only; anything else live
     * only. At most 3 publications recovered.
     */
    static final String RULES = "news:* size=5 ttl=10m presence; small:* size=2 ttl=1m; room:* presence";
    static final int MAX_RECOVERED = 3;

    final ManualEventLoop loop = new ManualEventLoop();
    final ServiceContext context = ServiceContexts.create(loop);
    final RecordingClient alice = new RecordingClient("alice").withIdentity(json("'alice'"));
    final RecordingClient bob = new RecordingClient("bob").withIdentity(json("'bob'"));
    final RecordingClient carol = new RecordingClient("carol");
    final RecordingClient webApp = new RecordingClient("web-app");
    MemoryPresence presence;
    /** the engine of {@link #start(ChannelPolicy)}: the memory engine with {@link #RULES} */
    MemoryBroker memoryEngine;
    PubSubService pubsub;
    ServiceRegistry registry;
    ServiceRegistry backend;

    void start(Broker broker, ChannelPolicy policy, PubSubSettings settings) {
        presence = new MemoryPresence(loop, PRESENCE_TTL);
        pubsub = new PubSubService("pubsub", context, policy, settings, broker, presence);
        registry = new ServiceRegistry("public", context);
        registry.register(pubsub);
        backend = new ServiceRegistry("private", context);
        backend.register(new PubSubBackendService("pubsub_backend", context, pubsub));
        for (RecordingClient client : List.of(alice, bob, carol)) {
            registry.connected(client);
        }
        backend.connected(webApp);
    }

    /** PubSub on the memory engine with {@link #RULES}, under {@code policy}. */
    void start(ChannelPolicy policy) {
        memoryEngine = new MemoryBroker(loop, HISTORY);
        start(memoryEngine, policy, PubSubs.settings(RULES, MAX_RECOVERED));
    }

    /** The same under permission rules. */
    void startWithRules(String permissionRules) {
        start(ChannelRulePolicy.of(ChannelRuleParser.parse(permissionRules), true));
    }

    // ---- the public service

    void call(Client client, String message) {
        registry.dispatch(client, new Envelope("pubsub", json(message)));
    }

    void call(Client client, String command, JsonNode params) {
        ObjectNode message = (ObjectNode) json("{'command':'" + command + "'}");
        message.set("params", params);
        registry.dispatch(client, new Envelope("pubsub", message));
    }

    /** Calls and returns the reply's data; the reply must be a success and come first. */
    JsonNode ask(RecordingClient client, String command, JsonNode params) {
        client.drain();
        call(client, command, params);
        List<JsonNode> frames = client.messages();
        assertThat(frames).as("frames after %s", command).isNotEmpty();
        assertThat(frames.get(0).at("/message/type").asText()).as("%s", frames.get(0)).isEqualTo("response");
        return frames.get(0).at("/message/data");
    }

    /** Calls and returns the error name; the answer must be an error, and the only frame. */
    String error(RecordingClient client, String command, JsonNode params) {
        client.drain();
        call(client, command, params);
        JsonNode frame = client.drain().stream().reduce((a, b) -> {
            throw new AssertionError("more than one frame: " + a + ", " + b);
        }).orElseThrow(() -> new AssertionError("no answer"));
        assertThat(frame.at("/message/type").asText()).as("%s", frame).isEqualTo("error");
        return frame.at("/message/message").asText();
    }

    /** A plain subscribe (Snorky's); the reply must be data null. */
    void subscribe(RecordingClient client, String channel) {
        assertThat(ask(client, "subscribe", params(channel)).isNull()).isTrue();
        client.drain();
    }

    /** A recoverable subscribe; returns its reply, {offset, epoch}. */
    JsonNode subscribeRecoverable(RecordingClient client, String channel) {
        ObjectNode params = params(channel);
        params.put("recoverable", true);
        JsonNode reply = ask(client, "subscribe", params);
        client.drain();
        return reply;
    }

    /** A subscribe since a position; leaves the frames (reply, recovered publications) to read. */
    void subscribeSince(RecordingClient client, String channel, long offset, String epoch) {
        ObjectNode params = params(channel);
        params.putObject("since").put("offset", offset).put("epoch", epoch);
        client.drain();
        call(client, "subscribe", params);
    }

    void unsubscribe(RecordingClient client, String channel) {
        assertThat(ask(client, "unsubscribe", params(channel)).isNull()).isTrue();
        client.drain();
    }

    static ObjectNode params(String channel) {
        ObjectNode params = (ObjectNode) json("{}");
        params.set("channel", json(channel));
        return params;
    }

    // ---- publishing

    /** Publishes past the policy, as the backend and in-process publishers do; returns what the engine answered. */
    PublishResult publish(String channel, String message) {
        return publish(channel, message, null);
    }

    PublishResult publish(String channel, String message, String idempotencyKey) {
        Object[] answer = new Object[2];
        pubsub.publish(JsonKey.of(json(channel)), json(message), idempotencyKey, (result, failure) -> {
            answer[0] = result;
            answer[1] = failure;
        });
        assertThat(answer[1]).isNull();
        assertThat(answer[0]).isNotNull();
        return (PublishResult) answer[0];
    }

    /** Publishes {@code 'm<i>'} for i from {@code from} to {@code to}; returns the last result. */
    PublishResult publishRange(String channel, int from, int to) {
        PublishResult last = null;
        for (int i = from; i <= to; i++) {
            last = publish(channel, "'m" + i + "'");
        }
        return last;
    }

    // ---- the backend

    void backendCall(String message) {
        backend.dispatch(webApp, new Envelope("pubsub_backend", json(message)));
    }

    /** The backend's answer to one call: the whole message of the only frame it got. */
    JsonNode backendAsk(String message) {
        webApp.drain();
        backendCall(message);
        List<JsonNode> frames = webApp.drain();
        assertThat(frames).hasSize(1);
        return frames.get(0).get("message");
    }

    // ---- reading frames

    /** The (type, offset or code) of every frame, as "response", "message 3", "unsubscribed 2500"... */
    static List<String> summary(List<JsonNode> frames) {
        return frames.stream().map(PubSubFixture::summary).toList();
    }

    static String summary(JsonNode frame) {
        JsonNode message = frame.get("message");
        String type = message.get("type").asText();
        return switch (type) {
            case "message" -> message.has("offset") ? "message " + message.get("offset").asLong()
                    : "message " + message.get("message").asText();
            case "unsubscribed" -> "unsubscribed " + message.get("code").asInt();
            default -> type;
        };
    }
}
