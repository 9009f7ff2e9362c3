package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8AndControlFramesTest {
    @Test
    void valid_utf8_of_every_length_passes() {
        byte[] text = "a é € 𝄞 \u07FF \uFFFD \uD7FF \uE000 \uDBFF\uDFFF".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.isValid(text, 0, text.length)).isTrue();
    }

    @Test
    void broken_utf8_fails() {
        assertThat(invalid(0x80)).isTrue(); // lone continuation
        assertThat(invalid(0xC1, 0xBF)).isTrue(); // overlong two-byte
        assertThat(invalid(0xE0, 0x9F, 0xBF)).isTrue(); // overlong three-byte
        assertThat(invalid(0xED, 0xA0, 0x80)).isTrue(); // surrogate
        assertThat(invalid(0xF0, 0x8F, 0xBF, 0xBF)).isTrue(); // overlong four-byte
        assertThat(invalid(0xF4, 0x90, 0x80, 0x80)).isTrue(); // above U+10FFFF
        assertThat(invalid(0xF5, 0x80, 0x80, 0x80)).isTrue();
        assertThat(invalid(0xE2, 0x82)).isTrue(); // truncated
        assertThat(invalid(0xE2, 0x28, 0xA1)).isTrue(); // bad continuation
        assertThat(invalid(0xC3)).isTrue();
    }

    @Test
    void a_close_frame_carries_code_and_reason_and_a_long_reason_is_cut_on_a_character() {
        byte[] frame = ControlFrames.close(4001, "Slow consumer");
        assertThat(frame[0] & 0xFF).isEqualTo(0x88);
        assertThat(frame[1]).isEqualTo((byte) (2 + 13));
        assertThat(((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF)).isEqualTo(4001);
        assertThat(new String(frame, 4, frame.length - 4, StandardCharsets.UTF_8)).isEqualTo("Slow consumer");

        byte[] long1 = ControlFrames.close(1002, "€".repeat(60));
        assertThat(long1[1]).isLessThanOrEqualTo((byte) 125);
        assertThat(Utf8.isValid(long1, 4, long1.length)).isTrue();
        assertThat(long1.length - 4).isEqualTo(41 * 3);

        assertThat(ControlFrames.close(FrameReader.NO_STATUS, "ignored")).containsExactly(0x88, 0);
        assertThat(ControlFrames.pong(new byte[] {1, 2})).containsExactly(0x8A, 2, 1, 2);
    }

    private static boolean invalid(int... bytes) {
        byte[] array = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            array[i] = (byte) bytes[i];
        }
        return !Utf8.isValid(array, 0, array.length);
    }
}
