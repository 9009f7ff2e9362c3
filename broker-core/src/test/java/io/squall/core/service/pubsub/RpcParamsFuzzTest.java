package io.squall.core.service.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Fuzzes the hand-written params binders of PubSub's hot commands (corpus: RpcParamsFuzzTestInputs) with params
 * objects the fuzzer builds from the keys the binders know and any JSON values (numbers written as text, so
 * out-of-range ones too). A binder accepts or refuses with IllegalArgumentException ("Invalid params"), nothing else (an
 * unexpected exception would be an "Internal error" and a logged stack trace per hostile frame); the publish
 * binder accepts and refuses what Jackson's binding to its record does, to the same values.
 */
class RpcParamsFuzzTest {
    private static final ObjectMapper MAPPER = Json.mapper();

    private static final String[] KEYS = {"channel", "message", "since", "limit", "reverse", "recover",
        "offset", "epoch", "positioned", "x"};

    @FuzzTest
    void bind(FuzzedDataProvider data) throws IOException {
        JsonNode params;
        try {
            params = MAPPER.readTree(object(data, 0).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            // not JSON (a duplicate key, a number beyond the limits: Jackson's NumberFormatException for an exponent
            // past int, as the broker's readers know): refused before any binder runs
            return;
        }
        PublishParams byHand = bound(params, PublishParams::bind);
        PublishParams byJackson;
        try {
            byJackson = MAPPER.treeToValue(params, PublishParams.class);
        } catch (IOException | IllegalArgumentException e) {
            byJackson = null;
        }
        if (byJackson == null) {
            assertThat(byHand).isNull();
        } else {
            assertThat(byHand).isNotNull();
            assertThat(MAPPER.writeValueAsString(byHand.channel()))
                    .isEqualTo(MAPPER.writeValueAsString(byJackson.channel()));
            assertThat(MAPPER.writeValueAsString(byHand.message()))
                    .isEqualTo(MAPPER.writeValueAsString(byJackson.message()));
        }
        bound(params, BackendPublishParams::bind);
        bound(params, SubscribeParams::bind);
        bound(params, SubscribeParams::bindPlain);
        bound(params, HistoryParams::bind);
    }

    private static String object(FuzzedDataProvider data, int depth) {
        StringBuilder out = new StringBuilder("{");
        int keys = data.consumeInt(0, 5);
        for (int i = 0; i < keys; i++) {
            String key = data.consumeBoolean() ? data.pickValue(KEYS) : data.consumeString(6);
            out.append(i == 0 ? "" : ",").append(MAPPER.getNodeFactory().textNode(key)).append(':')
                    .append(value(data, depth + 1));
        }
        return out.append('}').toString();
    }

    private static String value(FuzzedDataProvider data, int depth) {
        return switch (data.consumeInt(0, depth > 3 ? 5 : 7)) {
            case 0 -> "null";
            case 1 -> String.valueOf(data.consumeBoolean());
            case 2 -> String.valueOf(data.consumeLong());
            case 3 -> data.consumeAsciiString(24); // any number literal, or garbage
            case 4 -> MAPPER.getNodeFactory().textNode(data.consumeString(16)).toString();
            case 5 -> String.valueOf(data.consumeInt(-2, 3));
            case 6 -> object(data, depth);
            default -> "[" + value(data, depth + 1) + "," + value(data, depth + 1) + "]";
        };
    }

    /** What {@code binder} makes of {@code params}, or null when it refuses them as RpcService expects. */
    private static <P> P bound(JsonNode params, Function<JsonNode, P> binder) {
        try {
            return binder.apply(params);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
