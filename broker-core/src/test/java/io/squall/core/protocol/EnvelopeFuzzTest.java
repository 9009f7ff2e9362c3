package io.squall.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.core.error.ErrorName;
import io.squall.core.json.Json;
import java.io.IOException;
import java.util.Set;

/**
 * Fuzzes the envelope decoder with arbitrary frame bytes (corpus: EnvelopeFuzzTestInputs). It never throws; a frame
 * it refuses gets one of the two frame errors, as a well-formed error reply; the streaming reader agrees with the
 * whole-frame tree parse; an accepted envelope re-encodes to bytes that decode to the same envelope; a backend body
 * decodes as its tree parse does.
 */
class EnvelopeFuzzTest {
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final Set<ErrorName> FRAME_ERRORS = Set.of(ErrorName.INVALID_JSON,
            ErrorName.INVALID_ENVELOPE);

    private final ProtocolCodec codec = new ProtocolCodec(MAPPER);

    @FuzzTest
    void decode(byte[] frame) throws IOException {
        Decoded streamed = codec.decode(frame);
        Decoded reference = codec.decodeAsTree(frame);
        assertSame(streamed, reference);
        switch (streamed) {
            case Decoded.Ok ok -> {
                byte[] encoded = codec.encode(ok.envelope()).bytes();
                Decoded again = codec.decode(encoded);
                assertThat(again).isInstanceOf(Decoded.Ok.class);
                // re-encoding is stable; numbers outside double's range or precision are not yet kept exactly
                assertThat(codec.encode(((Decoded.Ok) again).envelope()).bytes()).isEqualTo(encoded);
                if (!hasFloat(ok.envelope().message())) {
                    assertSame(again, ok);
                }
            }
            case Decoded.Rejected rejected -> {
                assertThat(rejected.error()).isIn(FRAME_ERRORS);
                JsonNode reply = MAPPER.readTree(rejected.reply().bytes());
                assertThat(reply.path("message").path("type").asText()).isEqualTo("error");
                assertThat(reply.path("message").path("message").asText()).isEqualTo(rejected.error().wireName());
                assertThat(reply.path("message").has("callId")).isTrue();
            }
        }
        BackendBody body = codec.decodeBody(frame);
        if (body != null) {
            if (!body.batch()) {
                assertThat(body.envelopes()).hasSize(1);
                assertSame(body.envelopes().get(0), streamed);
            }
            for (Decoded each : body.envelopes()) {
                if (each instanceof Decoded.Rejected rejected) {
                    assertThat(rejected.error()).isIn(FRAME_ERRORS);
                }
            }
        } else {
            assertThat(streamed).as("a body that is not JSON is not a frame either")
                    .isInstanceOf(Decoded.Rejected.class);
        }
    }

    private static boolean hasFloat(JsonNode node) {
        if (node.isFloatingPointNumber()) {
            return true;
        }
        for (JsonNode child : node) {
            if (hasFloat(child)) {
                return true;
            }
        }
        return false;
    }

    private static void assertSame(Decoded actual, Decoded expected) throws IOException {
        switch (expected) {
            case Decoded.Ok ok -> {
                assertThat(actual).isInstanceOf(Decoded.Ok.class);
                Envelope got = ((Decoded.Ok) actual).envelope();
                assertThat(got.service()).isEqualTo(ok.envelope().service());
                assertThat(got.message()).isEqualTo(ok.envelope().message());
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
