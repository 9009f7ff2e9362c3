package io.squall.core.protocol;

import static io.squall.core.testing.Jsons.json;
import static io.squall.core.testing.Jsons.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.squall.core.error.ErrorName;
import io.squall.core.json.Json;
import io.squall.core.json.JsonLimits;
import io.squall.core.testing.WireFixtures;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolCodecTest {
    private static final List<String> FIXTURES = WireFixtures.NAMES;

    /** Fixtures a client could send back: all but the reply to a frame that named no service. */
    static Stream<String> routableFixtures() {
        return FIXTURES.stream().filter(name -> WireFixtures.tree(name).get("service").isTextual());
    }

    private final ProtocolCodec codec = new ProtocolCodec(Json.mapper());

    // ---- golden frames

    @ParameterizedTest
    @MethodSource("routableFixtures")
    void a_golden_frame_decodes_and_re_encodes_to_the_same_tree(String fixture) {
        Decoded decoded = codec.decode(WireFixtures.text(fixture));

        assertThat(decoded).isInstanceOf(Decoded.Ok.class);
        EncodedMessage reencoded = codec.encode(((Decoded.Ok) decoded).envelope());
        assertThat(parse(reencoded)).isEqualTo(WireFixtures.tree(fixture));
    }

    @Test
    void every_fixture_file_is_in_the_golden_list() throws IOException, URISyntaxException {
        Path folder = Path.of(WireFixtures.class.getResource(WireFixtures.FOLDER).toURI());

        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(file -> file.getFileName().toString().replaceFirst("\\.json$", "")))
                    .containsExactlyInAnyOrderElementsOf(FIXTURES);
        }
    }

    @Test
    void response_with_call_id_matches_the_golden_frame() {
        EncodedMessage response = codec.response("pubsub", IntNode.valueOf(0), NullNode.getInstance());

        assertThat(parse(response)).isEqualTo(WireFixtures.tree("response-with-call-id"));
    }

    @Test
    void response_without_call_id_leaves_the_key_out() {
        JsonNode response = parse(codec.response("pubsub_backend", null, null));

        assertThat(response).isEqualTo(WireFixtures.tree("response-without-call-id"));
        assertThat(response.get("message").has("callId")).isFalse();
    }

    @Test
    void response_to_a_json_null_call_id_leaves_the_key_out() {
        JsonNode response = parse(codec.response("pubsub_backend", NullNode.getInstance(), NullNode.getInstance()));

        assertThat(response).isEqualTo(WireFixtures.tree("response-without-call-id"));
    }

    @Test
    void response_echoes_an_opaque_call_id_and_carries_the_data() {
        JsonNode data = json("{'members':['alice',{'id':7}]}");

        EncodedMessage response = codec.response("chat", TextNode.valueOf("join-1"), data);

        assertThat(parse(response)).isEqualTo(WireFixtures.tree("response-with-data"));
    }

    @Test
    void error_with_call_id_matches_the_golden_frame() {
        EncodedMessage error = codec.error("pubsub", IntNode.valueOf(1), ErrorName.ALREADY_SUBSCRIBED);

        assertThat(parse(error)).isEqualTo(WireFixtures.tree("error-with-call-id"));
    }

    @Test
    void error_without_call_id_carries_call_id_null() {
        JsonNode error = parse(codec.error("pubsub", null, ErrorName.NOT_SUBSCRIBED));

        assertThat(error).isEqualTo(WireFixtures.tree("error-with-null-call-id"));
        assertThat(error.get("message").get("callId").isNull()).isTrue();
    }

    @Test
    void notification_is_wrapped_in_the_envelope() {
        JsonNode message = json("{'type':'message','channel':'news','message':'hello'}");

        EncodedMessage notification = codec.encode("pubsub", message);

        assertThat(parse(notification)).isEqualTo(WireFixtures.tree("notification-pubsub-message"));
    }

    // ---- frames that cannot be routed

    @Test
    void invalid_json_is_rejected_with_the_golden_error_frame() {
        Decoded decoded = codec.decode("{\"service\":\"pubsub\",\"message\":");

        assertRejected(decoded, ErrorName.INVALID_JSON, "error-invalid-json");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"service\":\"pubsub\",\"message\":{}} x",
        "{\"service\":\"pubsub\",\"message\":{}} {}",
        "{\"service\":\"pubsub\",\"message\":{}}]"
    })
    void trailing_content_after_the_envelope_is_invalid_json(String frame) {
        assertRejected(codec.decode(frame), ErrorName.INVALID_JSON, "error-invalid-json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void an_empty_frame_is_invalid_json(String frame) {
        assertRejected(codec.decode(frame), ErrorName.INVALID_JSON, "error-invalid-json");
    }

    @Test
    void duplicate_keys_are_invalid_json() {
        Decoded decoded = codec.decode("{\"service\":\"pubsub\",\"service\":\"chat\",\"message\":{\"callId\":1}}");

        assertRejected(decoded, ErrorName.INVALID_JSON, "error-invalid-json");
    }

    @Test
    void nesting_deeper_than_the_limit_is_invalid_json() {
        int depth = JsonLimits.defaults().maxNestingDepth(); // the envelope object is one level

        assertThat(codec.decode(envelopeNestedTo(depth))).isInstanceOf(Decoded.Ok.class);
        assertRejected(codec.decode(envelopeNestedTo(depth + 1)), ErrorName.INVALID_JSON, "error-invalid-json");
    }

    @Test
    void a_string_longer_than_the_limit_is_invalid_json() {
        String frame = "{\"service\":\"pubsub\",\"message\":\"" + "x".repeat(2_000_000) + "\"}";

        assertRejected(codec.decode(frame), ErrorName.INVALID_JSON, "error-invalid-json");
    }

    @Test
    void a_string_at_the_limit_is_accepted() {
        int limit = JsonLimits.defaults().maxStringLength();
        String frame = "{\"service\":\"pubsub\",\"message\":\"" + "x".repeat(limit) + "\"}";

        assertThat(codec.decode(frame)).isInstanceOf(Decoded.Ok.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"service\":\"pubsub\",\"message\":{}}]", "\"pubsub\"", "42", "true", "null"})
    void a_frame_that_is_not_an_object_is_an_invalid_envelope(String frame) {
        Decoded decoded = codec.decode(frame);

        assertThat(decoded).isInstanceOfSatisfying(Decoded.Rejected.class, rejected -> {
            assertThat(rejected.error()).isEqualTo(ErrorName.INVALID_ENVELOPE);
            assertThat(parse(rejected.reply())).isEqualTo(invalidEnvelope(null, "null"));
        });
    }

    @Test
    void an_envelope_without_service_is_answered_with_the_call_id() {
        Decoded decoded = codec.decode("{\"message\":{\"command\":\"subscribe\",\"params\":{},\"callId\":7}}");

        assertRejectedWith(decoded, invalidEnvelope(null, "7"));
    }

    @Test
    void an_envelope_whose_service_is_not_a_string_is_answered_with_the_call_id() {
        Decoded decoded = codec.decode("{\"service\":5,\"message\":{\"command\":\"x\",\"callId\":\"c-1\"}}");

        assertRejectedWith(decoded, invalidEnvelope(null, "'c-1'"));
    }

    @Test
    void an_envelope_without_message_is_answered_to_the_named_service() {
        Decoded decoded = codec.decode("{\"service\":\"pubsub\"}");

        assertRejected(decoded, ErrorName.INVALID_ENVELOPE, "error-invalid-envelope");
    }

    // ---- accepted envelopes

    @Test
    void extra_envelope_keys_are_ignored() {
        Decoded decoded = codec.decode("{\"service\":\"pubsub\",\"message\":{\"callId\":1},\"version\":2}");

        assertThat(decoded).isEqualTo(new Decoded.Ok(new Envelope("pubsub", json("{'callId':1}"))));
    }

    @Test
    void a_json_null_message_is_routed_like_any_other_value() {
        Decoded decoded = codec.decode("{\"service\":\"echo\",\"message\":null}");

        assertThat(decoded).isEqualTo(new Decoded.Ok(new Envelope("echo", NullNode.getInstance())));
    }

    @Test
    void a_byte_frame_decodes_like_the_same_text() {
        String text = WireFixtures.text("request-with-call-id");

        Decoded decoded = codec.decode(text.getBytes(StandardCharsets.UTF_8));

        assertThat(decoded).isEqualTo(codec.decode(text));
    }

    @Test
    void a_byte_frame_that_is_not_utf8_is_invalid_json() {
        byte[] frame = {'{', '"', 's', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};

        assertRejected(codec.decode(frame), ErrorName.INVALID_JSON, "error-invalid-json");
    }

    // ---- helpers

    private static String envelopeNestedTo(int depth) {
        int arrays = depth - 1;
        return "{\"service\":\"pubsub\",\"message\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}";
    }

    private static JsonNode invalidEnvelope(String service, String callId) {
        ObjectNode message = (ObjectNode) json("{'type':'error','message':'Invalid envelope'}");
        message.set("callId", json(callId));
        ObjectNode envelope = (ObjectNode) json("{}");
        envelope.put("service", service);
        envelope.set("message", message);
        return envelope;
    }

    private static void assertRejected(Decoded decoded, ErrorName error, String expectedReplyFixture) {
        assertThat(decoded).isInstanceOfSatisfying(Decoded.Rejected.class, rejected -> {
            assertThat(rejected.error()).isEqualTo(error);
            assertThat(parse(rejected.reply())).isEqualTo(WireFixtures.tree(expectedReplyFixture));
        });
    }

    private static void assertRejectedWith(Decoded decoded, JsonNode expectedReply) {
        assertThat(decoded).isInstanceOfSatisfying(Decoded.Rejected.class, rejected -> {
            assertThat(rejected.error()).isEqualTo(ErrorName.INVALID_ENVELOPE);
            assertThat(parse(rejected.reply())).isEqualTo(expectedReply);
        });
    }
}
