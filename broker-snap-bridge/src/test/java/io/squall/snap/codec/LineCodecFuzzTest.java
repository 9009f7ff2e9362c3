package io.squall.snap.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the line codec (corpus: LineCodecFuzzTestInputs) with RPCs the fuzzer picks, printed as lines and mixed
 * with arbitrary lines, then split anywhere. Every line the encoder prints parses back to its message (the line
 * format carries no sequence number); arbitrary lines are parsed or counted as refused, never thrown; the pieces
 * decode as the whole stream does; whatever the decoder accepts prints back to a line that parses the same.
 */
class LineCodecFuzzTest {

    @FuzzTest
    void lines_and_noise(FuzzedDataProvider data) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<SnapMessage> sent = new ArrayList<>();
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            if (data.consumeBoolean()) {
                stream.writeBytes(data.consumeBytes(data.consumeInt(0, 60))); // an arbitrary line
                stream.write('\n');
            }
            SnapMessage message = FuzzMessages.message(data);
            if (message == null) {
                continue;
            }
            byte[] line;
            try {
                line = new LineCodec().encode(message);
            } catch (IllegalArgumentException e) {
                continue; // data mode, a function name that cannot be printed, a line too long
            }
            assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
            stream.writeBytes(line);
            sent.add(new SnapMessage(message.kind(), message.src(), message.dst(), message.ttl(), 0,
                    message.function(), message.args()));
        }
        byte[] bytes = stream.toByteArray();

        LineCodec whole = new LineCodec();
        List<SnapMessage> received = FuzzMessages.decode(whole, bytes, List.of());
        LineCodec split = new LineCodec();
        List<SnapMessage> pieces = FuzzMessages.decode(split, bytes, FuzzMessages.cuts(data, bytes.length));

        assertThat(pieces).isEqualTo(received);
        assertThat(split.stats().toString()).isEqualTo(whole.stats().toString());
        assertThat(FuzzMessages.isSubsequence(sent, received)).as("sent %s, received %s", sent, received).isTrue();
        for (SnapMessage message : received) {
            byte[] line;
            try {
                line = new LineCodec().encode(message);
            } catch (IllegalArgumentException e) {
                continue; // the parser is lenient (a bare word is a string, any function name is taken)
            }
            assertThat(FuzzMessages.decode(new LineCodec(), line, List.of())).as(FuzzMessages.latin1(line))
                    .containsExactly(message);
        }
    }
}
