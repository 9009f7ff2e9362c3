package io.squall.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import io.squall.core.json.Json;
import io.squall.core.testing.JsonCorpus;
import io.squall.core.testing.WireFixtures;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Replies from cached fragments against the tree encoding they replaced: byte for byte, for awkward inputs. */
class ResponseFramesParityTest {
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final ProtocolCodec codec = new ProtocolCodec(MAPPER);

    private static List<JsonNode> values() throws IOException {
        List<JsonNode> values = new ArrayList<>(Arrays.asList(null, NullNode.getInstance(), NODES.numberNode(0),
                NODES.numberNode(-7L), NODES.numberNode(new BigInteger("123456789012345678901234567890")),
                NODES.numberNode(-0.0), NODES.numberNode(Double.POSITIVE_INFINITY), NODES.numberNode(0.1f),
                NODES.numberNode(new BigDecimal("1.000")), NODES.numberNode(new BigDecimal("1E+400")),
                NODES.textNode("\u0000\u001f\"\\/\u2028ü😀"), NODES.booleanNode(false),
                NODES.numberNode(Integer.MIN_VALUE), NODES.numberNode(Long.MIN_VALUE), NODES.numberNode((short) 3),
                NODES.textNode("id-42/x~ !"), NODES.textNode("a\u007fb"), NODES.textNode("a\u0080b"),
                NODES.textNode("\u001f"), NODES.textNode("")));
        for (String text : JsonCorpus.values()) {
            values.add(MAPPER.readTree(text));
        }
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            values.add(MAPPER.readTree(JsonCorpus.randomValue(random, 3)));
        }
        return values;
    }

    @Test
    void every_reply_is_the_bytes_of_the_tree_encoding() throws IOException {
        List<String> services = Arrays.asList("pubsub", "pubsub_backend", null, "", "ünï \"q\" \\ \n\u0001😀");
        List<JsonNode> values = values();
        for (String service : services) {
            for (JsonNode callId : values) {
                for (JsonNode data : values) {
                    assertThat(codec.response(service, callId, data).text())
                            .as("service %s callId %s data %s", service, callId, data)
                            .isEqualTo(codec.responseAsTree(service, callId, data).text());
                }
            }
        }
    }

    @Test
    void the_bare_publish_reply_is_one_shared_frame_and_matches_the_golden_one() {
        EncodedMessage first = codec.response("pubsub_backend", null, null);

        assertThat(codec.response("pubsub_backend", NullNode.getInstance(), NullNode.getInstance())).isSameAs(first);
        assertThat(first.text()).isEqualTo("{\"service\":\"pubsub_backend\",\"message\":{\"type\":\"response\","
                + "\"data\":null}}");
        assertThat(MAPPER.valueToTree(MAPPER.convertValue(first.text(), String.class)).isTextual()).isTrue();
        assertThat(io.squall.core.testing.Jsons.parse(first)).isEqualTo(WireFixtures.tree("response-without-call-id"));
    }
}
