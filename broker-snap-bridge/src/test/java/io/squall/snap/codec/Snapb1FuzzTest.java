package io.squall.snap.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the SNAPB/1 codec (corpus: Snapb1FuzzTestInputs) with messages the fuzzer picks, framed and mixed with
 * line noise, then split anywhere. Every message the encoder accepts comes out of the decoder equal and in order
 * (noise may add frames, never lose or change one); the pieces decode as the whole stream does, with the same
 * counts; whatever the decoder accepts, the encoder carries back to the same message. Nothing is thrown except the
 * encoder's documented IllegalArgumentException.
 */
class Snapb1FuzzTest {

    @FuzzTest
    void frames_and_noise(FuzzedDataProvider data) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<SnapMessage> sent = new ArrayList<>();
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            if (data.consumeBoolean()) {
                stream.writeBytes(data.consumeBytes(data.consumeInt(0, 30))); // noise, flags included
            }
            SnapMessage message = FuzzMessages.message(data);
            if (message == null) {
                continue;
            }
            byte[] frame;
            try {
                frame = new Snapb1Codec().encode(message);
            } catch (IllegalArgumentException e) {
                continue; // too large, or a shape SNAPB/1 does not carry
            }
            stream.writeBytes(frame);
            sent.add(message);
        }
        byte[] bytes = stream.toByteArray();

        Snapb1Codec whole = new Snapb1Codec();
        List<SnapMessage> received = FuzzMessages.decode(whole, bytes, List.of());
        Snapb1Codec split = new Snapb1Codec();
        List<SnapMessage> pieces = FuzzMessages.decode(split, bytes, FuzzMessages.cuts(data, bytes.length));

        assertThat(pieces).isEqualTo(received);
        assertThat(split.stats().toString()).isEqualTo(whole.stats().toString());
        assertThat(whole.stats().frames()).isEqualTo(received.size());
        assertThat(FuzzMessages.isSubsequence(sent, received)).as("sent %s, received %s", sent, received).isTrue();
        for (SnapMessage message : received) {
            List<SnapMessage> again = FuzzMessages.decode(new Snapb1Codec(), new Snapb1Codec().encode(message),
                    List.of());
            assertThat(again).containsExactly(message);
        }
    }
}
