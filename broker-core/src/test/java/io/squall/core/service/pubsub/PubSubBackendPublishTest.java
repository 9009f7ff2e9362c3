package io.squall.core.service.pubsub;

import static io.squall.core.testing.Jsons.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.protocol.Envelope;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
/**
 * The backend's {@code publish}: answered after the engine accepted it, with the position on a channel with history,
 * and idempotent with a key (docs/protocol.md, "PubSub backend"), through the registries on the memory engine.
 */
class PubSubBackendPublishTest extends PubSubFixture {
    @BeforeEach
    void start() {
        start(ChannelPolicy.open(true));
    }


    // ---- the backend's publish

    @Test
    void the_backend_publish_answers_null_on_a_live_only_channel() {
        subscribe(alice, "'live'");

        JsonNode answer = backendAsk("{'command':'publish','params':{'channel':'live','message':'hi'},'callId':1}");

        assertThat(answer).isEqualTo(json("{'type':'response','callId':1,'data':null}"));
        assertThat(alice.frames()).singleElement().extracting(frame -> frame.text()).isEqualTo(
                "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"live\",\"message\":\"hi\"}}");
        assertThat(memoryEngine.streamCount()).isZero();
    }

    @Test
    void the_backend_publish_answers_the_position_on_a_channel_with_history() {
        JsonNode position = subscribeRecoverable(alice, "'news:1'");

        JsonNode first = backendAsk("{'command':'publish','params':{'channel':'news:1','message':'a'},'callId':1}");
        JsonNode second = backendAsk("{'command':'publish','params':{'channel':'news:1','message':'b'},'callId':2}");

        String epoch = position.get("epoch").asText();
        assertThat(first.get("data")).isEqualTo(json("{'offset':1,'epoch':'" + epoch + "'}"));
        assertThat(second.get("data")).isEqualTo(json("{'offset':2,'epoch':'" + epoch + "'}"));
        assertThat(summary(alice.drain())).containsExactly("message 1", "message 2");
    }

    @Test
    void a_client_publish_answers_null_even_with_history() {
        subscribeRecoverable(bob, "'news:1'");

        JsonNode reply = ask(alice, "publish", json("{'channel':'news:1','message':'a'}"));

        assertThat(reply.isNull()).isTrue();
        assertThat(summary(bob.drain())).containsExactly("message 1");
    }

    @Test
    void a_backend_retry_with_the_same_idempotency_key_answers_the_same_offset_and_delivers_nothing_more() {
        subscribeRecoverable(alice, "'news:1'");
        subscribe(bob, "'news:1'");
        String publish = "{'command':'publish','params':{'channel':'news:1','message':'once','idempotencyKey':'k-1'}}";

        JsonNode first = backendAsk(publish);
        JsonNode retry = backendAsk(publish);
        JsonNode other = backendAsk(
                "{'command':'publish','params':{'channel':'news:1','message':'two','idempotencyKey':'k-2'}}");

        assertThat(retry).isEqualTo(first);
        assertThat(first.at("/data/offset").asLong()).isEqualTo(1);
        assertThat(other.at("/data/offset").asLong()).isEqualTo(2);
        assertThat(summary(alice.drain())).containsExactly("message 1", "message 2");
        assertThat(summary(bob.drain())).containsExactly("message once", "message two");
    }

    @Test
    void a_backend_retry_on_a_live_only_channel_answers_null_and_delivers_nothing_more() {
        subscribe(alice, "'live'");
        String publish = "{'command':'publish','params':{'channel':'live','message':'once','idempotencyKey':'k-1'}}";

        assertThat(backendAsk(publish).get("data").isNull()).isTrue();
        assertThat(backendAsk(publish).get("data").isNull()).isTrue();

        assertThat(alice.frames()).hasSize(1);
    }

    @Test
    void a_256_character_idempotency_key_is_accepted() {
        ObjectNode params = params("'news:1'");
        params.put("message", "m");
        params.put("idempotencyKey", "k".repeat(256));
        ObjectNode message = (ObjectNode) json("{'command':'publish'}");
        message.set("params", params);

        backend.dispatch(webApp, new Envelope("pubsub_backend", message));

        assertThat(webApp.last().at("/message/data/offset").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "''", "null", "['k']", "LONG"})
    void a_bad_idempotency_key_is_answered_invalid_params_and_publishes_nothing(String key) {
        subscribe(alice, "'news:1'");
        ObjectNode params = params("'news:1'");
        params.put("message", "m");
        params.set("idempotencyKey", key.equals("LONG") ? json("'" + "k".repeat(257) + "'") : json(key));
        ObjectNode message = (ObjectNode) json("{'command':'publish','callId':3}");
        message.set("params", params);

        webApp.drain();
        backend.dispatch(webApp, new Envelope("pubsub_backend", message));

        assertThat(webApp.drain()).containsExactly(
                json("{'service':'pubsub_backend','message':{'type':'error','callId':3,'message':'Invalid params'}}"));
        assertThat(alice.frames()).isEmpty();
        assertThat(memoryEngine.streamCount()).isZero();
    }

    // ---- helpers

    private static List<Long> offsets(JsonNode history) {
        return history.get("publications").valueStream().map(p -> p.get("offset").asLong()).toList();
    }

    private double counter(String recovered) {
        return context.metrics().registry().get("broker.pubsub.recoveries").tag("recovered", recovered).counter()
                .count();
    }
}
