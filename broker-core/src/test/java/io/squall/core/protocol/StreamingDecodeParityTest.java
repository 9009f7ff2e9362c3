package io.squall.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.error.ErrorName;
import io.squall.core.json.Json;
import io.squall.core.testing.JsonCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming envelope reader against the whole-frame tree parse it replaced: the same frames and bodies, good
 * and bad, must give the same outcome, the same message tree (same bytes when re-encoded) and the same reply bytes.
 */
class StreamingDecodeParityTest {
    private static final ObjectMapper MAPPER = Json.mapper();
    private final ProtocolCodec codec = new ProtocolCodec(MAPPER);

    static Stream<String> frames() {
        List<String> frames = new ArrayList<>(List.of(
                "", "   ", "{", "}", "[", "[]", "[1]", "null", "5", "\"text\"", "true", "{}", "{} ", " {}\n",
                "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\","
                        + "\"params\":{\"channel\":\"c\",\"message\":\"m\"}}}",
                "{\"message\":{\"command\":\"publish\"},\"service\":\"pubsub\"}",
                "{\"service\":\"s\",\"message\":null}",
                "{\"service\":\"s\"}",
                "{\"service\":\"s\",\"message\":{\"callId\":7}",
                "{\"message\":{\"callId\":7}}",
                "{\"message\":{\"callId\":null}}",
                "{\"service\":5,\"message\":{\"callId\":\"c\"}}",
                "{\"service\":null,\"message\":{\"callId\":[1,{\"a\":2}]}}",
                "{\"service\":{\"x\":1},\"message\":1}",
                "{\"service\":\"s\",\"message\":1,\"extra\":[1,{\"a\":null}],\"more\":\"ü\"}",
                "{\"service\":\"a\",\"service\":\"b\",\"message\":1}",
                "{\"service\":\"s\",\"message\":{\"a\":1,\"a\":2}}",
                "{\"service\":\"s\",\"message\":1,\"x\":{\"d\":1,\"d\":1}}",
                "{\"service\":\"s\",\"message\":1} x",
                "{\"service\":\"s\",\"message\":1}{}",
                "{\"service\":\"s\",\"message\":1}]",
                "{\"service\":\"s\",\"message\":NaN}",
                "{\"service\":\"s\",\"message\":1e99999}",
                "{\"service\":\"s\",\"message\":01}",
                "{\"service\":\"s\",\"message\":/*c*/1}",
                "{'service':'s','message':1}",
                "{\"service\":\"ünï \\\"q\\\"\",\"message\":\"😀\\u0000\\n\"}",
                "{\"service\":\"s\",\"message\":\"" + "x".repeat(1 << 20) + "\"}",
                "{\"service\":\"s\",\"message\":\"" + "x".repeat((1 << 20) + 1) + "\"}",
                "{\"service\":\"s\",\"message\":" + "[".repeat(63) + "]".repeat(63) + "}",
                "{\"service\":\"s\",\"message\":" + "[".repeat(64) + "]".repeat(64) + "}",
                "{\"service\":\"s\",\"ignored\":" + "[".repeat(64) + "]".repeat(64) + ",\"message\":1}",
                "{\"service\":\"s\",\"message\":1" + "0".repeat(100) + "}",
                "\uFEFF{\"service\":\"s\",\"message\":1}"));
        for (String value : JsonCorpus.values()) {
            frames.add("{\"service\":\"s\",\"message\":{\"command\":\"c\",\"callId\":" + value + ",\"params\":"
                    + value + "}}");
            frames.add("{\"service\":" + value + ",\"message\":{\"callId\":" + value + "}}");
            frames.add(value);
        }
        return frames.stream();
    }

    @ParameterizedTest
    @MethodSource("frames")
    void a_frame_decodes_as_the_whole_frame_tree_parse_does(String frame) throws IOException {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);

        assertSame(codec.decode(bytes), codec.decodeAsTree(bytes));
        assertSame(codec.decode(frame), textAsTree(frame));
    }

    /** What {@code decode(String)} did before: a tree of the whole text. */
    private Decoded textAsTree(String frame) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(frame);
        } catch (IOException e) {
            return codec.rejectFrame(ErrorName.INVALID_JSON, null, null);
        }
        return codec.decode(tree);
    }

    @Test
    void random_and_damaged_frames_decode_as_the_tree_parse_does() throws IOException {
        Random random = new Random(20261123);
        for (int i = 0; i < 3000; i++) {
            String frame = randomEnvelope(random);
            if (random.nextInt(3) == 0) {
                frame = JsonCorpus.damage(random, frame);
            }
            byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
            assertSame(codec.decode(bytes), codec.decodeAsTree(bytes));
        }
    }

    @Test
    void bytes_that_are_not_utf8_are_invalid_json_on_both_paths() throws IOException {
        byte[] frame = {'{', '"', 's', 'e', 'r', 'v', 'i', 'c', 'e', '"', ':', '"', (byte) 0xC3, '"', ',', '"', 'm',
            'e', 's', 's', 'a', 'g', 'e', '"', ':', '1', '}'};

        assertSame(codec.decode(frame), codec.decodeAsTree(frame));
        assertThat(((Decoded.Rejected) codec.decode(frame)).error()).isEqualTo(ErrorName.INVALID_JSON);
    }

    @ParameterizedTest
    @MethodSource("frames")
    void a_body_decodes_as_the_tree_of_the_whole_body_did(String frame) throws IOException {
        assertSameBody(frame);
        assertSameBody("[" + frame + "]");
        assertSameBody("[" + frame + "," + frame + "]");
        assertSameBody("[{\"service\":\"s\",\"message\":1}," + frame + "]");
    }

    @Test
    void random_and_damaged_batches_decode_as_the_tree_of_the_whole_body_did() throws IOException {
        Random random = new Random(42);
        assertSameBody("[]");
        assertSameBody("[ ]");
        assertSameBody("[1,]");
        assertSameBody("[[]]");
        assertSameBody("[{\"service\":\"s\",\"message\":1}");
        assertSameBody("[{\"service\":\"s\",\"message\":1}] []");
        for (int i = 0; i < 1000; i++) {
            StringBuilder body = new StringBuilder("[");
            int size = 1 + random.nextInt(5);
            for (int j = 0; j < size; j++) {
                body.append(j > 0 ? "," : "").append(randomEnvelope(random));
            }
            String text = body.append(']').toString();
            assertSameBody(random.nextInt(3) == 0 ? JsonCorpus.damage(random, text) : text);
        }
    }

    private static String randomEnvelope(Random random) {
        StringBuilder frame = new StringBuilder("{");
        List<String> keys = new ArrayList<>(List.of("\"service\":", "\"message\":"));
        if (random.nextInt(4) == 0) {
            keys.add("\"extra\":");
        }
        if (random.nextInt(8) == 0) {
            keys.remove(random.nextInt(keys.size()));
        }
        java.util.Collections.shuffle(keys, random);
        for (int i = 0; i < keys.size(); i++) {
            frame.append(i > 0 ? "," : "").append(keys.get(i));
            if (keys.get(i).startsWith("\"service\"") && random.nextInt(6) != 0) {
                frame.append('"').append(JsonCorpus.randomText(random)).append('"');
            } else if (keys.get(i).startsWith("\"message\"") && random.nextBoolean()) {
                frame.append("{\"command\":\"publish\",\"callId\":").append(JsonCorpus.randomValue(random, 1))
                        .append(",\"params\":").append(JsonCorpus.randomValue(random, 3)).append('}');
            } else {
                frame.append(JsonCorpus.randomValue(random, 3));
            }
        }
        return frame.append('}').toString();
    }

    /** What BackendHandler did before: a tree of the whole body, then each element checked. */
    private BackendBody bodyAsTree(byte[] body) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
        if (tree == null || tree.isMissingNode()) {
            return null;
        }
        List<Decoded> envelopes = new ArrayList<>();
        if (tree.isArray()) {
            tree.forEach(element -> envelopes.add(codec.decode(element)));
        } else {
            envelopes.add(codec.decode(tree));
        }
        return new BackendBody(tree.isArray(), envelopes);
    }

    private void assertSameBody(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        BackendBody streamed = codec.decodeBody(bytes);
        BackendBody reference = bodyAsTree(bytes);
        if (reference == null) {
            assertThat(streamed).as(text).isNull();
            return;
        }
        assertThat(streamed).as(text).isNotNull();
        assertThat(streamed.batch()).as(text).isEqualTo(reference.batch());
        assertThat(streamed.envelopes()).as(text).hasSameSizeAs(reference.envelopes());
        for (int i = 0; i < reference.envelopes().size(); i++) {
            assertSame(streamed.envelopes().get(i), reference.envelopes().get(i));
        }
    }

    private static void assertSame(Decoded actual, Decoded expected) throws IOException {
        switch (expected) {
            case Decoded.Ok ok -> {
                assertThat(actual).isInstanceOf(Decoded.Ok.class);
                Envelope got = ((Decoded.Ok) actual).envelope();
                assertThat(got.service()).isEqualTo(ok.envelope().service());
                assertThat(got.message()).isEqualTo(ok.envelope().message());
                assertThat(got.message().getClass()).isEqualTo(ok.envelope().message().getClass());
                assertThat(MAPPER.writeValueAsBytes(got.message()))
                        .isEqualTo(MAPPER.writeValueAsBytes(ok.envelope().message()));
            }
            case Decoded.Rejected rejected -> {
                assertThat(actual).isInstanceOf(Decoded.Rejected.class);
                assertThat(((Decoded.Rejected) actual).error()).isEqualTo(rejected.error());
                assertThat(((Decoded.Rejected) actual).reply().text()).isEqualTo(rejected.reply().text());
            }
        }
    }
}
