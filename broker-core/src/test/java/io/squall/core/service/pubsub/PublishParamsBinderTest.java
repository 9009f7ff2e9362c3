package io.squall.core.service.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.json.Json;
import io.squall.core.testing.JsonCorpus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-written {@code publish} binder against Jackson's binding to the record, which every other command
 * still uses: the same params objects must bind or fail alike, to values that encode to the same bytes.
 */
class PublishParamsBinderTest {
    private static final ObjectMapper MAPPER = Json.mapper();

    static Stream<String> params() {
        List<String> params = new ArrayList<>(List.of("{}", "{\"channel\":\"c\"}", "{\"message\":\"m\"}",
                "{\"channel\":\"c\",\"message\":\"m\"}", "{\"message\":\"m\",\"channel\":\"c\"}",
                "{\"channel\":\"c\",\"message\":\"m\",\"extra\":1}", "{\"channel\":\"c\",\"extra\":1}",
                "{\"channel\":null,\"message\":null}", "{\"Channel\":\"c\",\"message\":\"m\"}",
                "{\"channel\":\"c\",\"message\":\"m\",\"channel2\":null}"));
        for (String value : JsonCorpus.values()) {
            params.add("{\"channel\":" + value + ",\"message\":" + value + "}");
            params.add("{\"channel\":\"c\",\"message\":" + value + "}");
            params.add("{\"channel\":" + value + "}");
            params.add("{\"channel\":" + value + ",\"message\":1,\"x\":" + value + "}");
        }
        Random random = new Random(99);
        for (int i = 0; i < 300; i++) {
            params.add("{\"channel\":" + JsonCorpus.randomValue(random, 2) + ",\"message\":"
                    + JsonCorpus.randomValue(random, 3) + "}");
            params.add(JsonCorpus.randomValue(random, 2).startsWith("{") ? JsonCorpus.randomValue(random, 2) : "{}");
        }
        return params.stream();
    }

    @ParameterizedTest
    @MethodSource("params")
    void binds_or_refuses_as_jackson_does(String text) throws IOException {
        JsonNode params = MAPPER.readTree(text);
        if (!params.isObject()) {
            return; // RpcService answers "Invalid params" before any binder runs
        }
        PublishParams byJackson = bind(() -> MAPPER.treeToValue(params, PublishParams.class));
        PublishParams byHand = bind(() -> PublishParams.bind(params));

        if (byJackson == null) {
            assertThat(byHand).as(text).isNull();
            return;
        }
        assertThat(byHand).as(text).isNotNull();
        assertSameValue(byHand.channel(), byJackson.channel());
        assertSameValue(byHand.message(), byJackson.message());
    }

    @Test
    void a_json_null_channel_and_message_are_values_on_both_paths() throws IOException {
        JsonNode params = MAPPER.readTree("{\"channel\":null,\"message\":null}");

        assertThat(PublishParams.bind(params).channel().isNull()).isTrue();
        assertThat(MAPPER.treeToValue(params, PublishParams.class).channel().isNull()).isTrue();
    }

    private static void assertSameValue(JsonNode actual, JsonNode expected) throws IOException {
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.getClass()).isEqualTo(expected.getClass());
        assertThat(MAPPER.writeValueAsString(actual)).isEqualTo(MAPPER.writeValueAsString(expected));
    }

    private interface Binding {
        PublishParams bind() throws IOException;
    }

    private static PublishParams bind(Binding binding) {
        try {
            return binding.bind();
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
