package io.squall.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.squall.core.error.ErrorName;
import io.squall.core.json.Json;
import io.squall.core.protocol.BackendBody;
import io.squall.core.protocol.Decoded;
import io.squall.core.protocol.ProtocolCodec;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Fuzzes the backend's body gathering and batch parsing (corpus: BodyFuzzTestInputs): a body the fuzzer writes
 * (JSON it builds from envelopes, or any bytes), delivered in pieces it chooses, under a limit it chooses, with a
 * declared length that may be wrong. The body gathered is exactly the bytes sent while they fit, refused as soon
 * as they do not, and never held in more than the limit; the batch parser answers it with one of BackendHandler's
 * outcomes (400 "Invalid JSON", 400 "Empty batch", or one reply per envelope, a refused one being "Invalid JSON" or
 * "Invalid envelope"), never an exception.
 */
class BodyFuzzTest {
    private final ProtocolCodec codec = new ProtocolCodec(Json.mapper());

    @FuzzTest
    void gather_and_parse(FuzzedDataProvider data) {
        int max = data.consumeInt(1, 4096);
        int expected = data.consumeBoolean() ? data.consumeInt(0, max) : Math.min(8 * 1024, max);
        byte[] sent = data.consumeBoolean() ? batch(data) : data.consumeBytes(data.consumeInt(0, 4096));

        BodyBuffer buffer = new BodyBuffer(max, expected);
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        boolean refused = false;
        int at = 0;
        while (at < sent.length && !refused) {
            int end = data.remainingBytes() > 0 ? Math.min(sent.length, at + data.consumeInt(0, 600)) : sent.length;
            byte[] chunk = Arrays.copyOfRange(sent, at, end);
            refused = !buffer.append(chunk);
            assertThat(refused).isEqualTo(pieces.size() + chunk.length > max);
            if (!refused) {
                pieces.writeBytes(chunk);
            }
            assertThat(buffer.capacity()).isLessThanOrEqualTo(max);
            at = end;
        }
        assertThat(refused).isEqualTo(sent.length > max);
        if (refused) {
            return; // 413
        }
        byte[] body = buffer.bytes();
        assertThat(body).isEqualTo(sent);

        BackendBody decoded = codec.decodeBody(body);
        if (decoded == null || (decoded.batch() && decoded.envelopes().isEmpty())) {
            return; // 400 "Invalid JSON" or "Empty batch"
        }
        assertThat(decoded.batch() || decoded.envelopes().size() == 1).isTrue();
        for (Decoded envelope : decoded.envelopes()) {
            if (envelope instanceof Decoded.Rejected rejected) {
                assertThat(rejected.error()).isIn(ErrorName.INVALID_JSON, ErrorName.INVALID_ENVELOPE);
            }
        }
    }

    /** A JSON array of envelopes and other values, possibly cut short or with trailing bytes. */
    private static byte[] batch(FuzzedDataProvider data) {
        StringBuilder out = new StringBuilder("[");
        int count = data.consumeInt(0, 20);
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",");
            switch (data.consumeInt(0, 3)) {
                case 0 -> out.append("{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\",\"params\":")
                        .append("{\"channel\":").append(Json.mapper().getNodeFactory().textNode(data.consumeString(8)))
                        .append(",\"message\":").append(data.consumeInt()).append("},\"callId\":").append(i)
                        .append("}}");
                case 1 -> out.append("{\"service\":").append(data.consumeInt()).append('}');
                case 2 -> out.append(data.consumeString(20));
                default -> out.append("[]");
            }
        }
        out.append(data.consumeBoolean() ? "]" : data.consumeString(4));
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
