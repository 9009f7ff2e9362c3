package io.squall.snap.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineCodecTest {
    private final LineCodec codec = new LineCodec();
    private final List<SnapMessage> decoded = new ArrayList<>();

    private List<SnapMessage> feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        codec.decode(bytes, 0, bytes.length, decoded::add);
        return decoded;
    }

    @Test
    void multicast_line_decodes_like_vector_1() {
        assertThat(feed("5de663@1/3 status 3300 True 126\n"))
                .containsExactly(SnapMessage.multicast(0x5de663, 1, 3, 0, "status", List.of(3300, true, 126)));
    }

    @Test
    void unicast_line_with_every_argument_type() {
        assertThat(feed("0a.0b.0c>000020 report None false -2 \"o k\" [125,0,255] raw\r\n")).containsExactly(
                SnapMessage.unicast(0x0a0b0c, 0x20, 0, "report", Arrays.asList(null, false, -2,
                        SnapString.latin1("o k"), new SnapByteList(new byte[] {125, 0, (byte) 255}),
                        SnapString.latin1("raw"))));
    }

    @Test
    void a_line_without_destination_is_addressed_to_the_host() {
        assertThat(feed("0a0b0c button 1\n")).containsExactly(SnapMessage.unicast(0x0a0b0c, 0, 0, "button", List.of(1)));
    }

    @Test
    void escapes_in_strings_give_raw_bytes() {
        assertThat(feed("000001 id \"\\x00f\\\"\\\\\"\n")).containsExactly(SnapMessage.unicast(1, 0, 0, "id",
                List.of(new SnapString(new byte[] {0, 'f', '"', '\\'}))));
    }

    @Test
    void every_split_point_decodes_the_same() {
        byte[] stream = "5de663@1/3 status 3300 True 126\n0a0b0c>000020 led \"on\"\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 0; split <= stream.length; split++) {
            LineCodec fresh = new LineCodec();
            List<SnapMessage> out = new ArrayList<>();
            fresh.decode(stream, 0, split, out::add);
            fresh.decode(stream, split, stream.length - split, out::add);
            assertThat(out).as("split at %d", split).hasSize(2);
        }
    }

    @Test
    void bad_lines_are_counted_and_the_next_one_decodes() {
        feed("hello\nzzzzzz f\n5de663@1 f\n5de663 f 99999\n5de663 f \"open\n\n   \n5de663 ok\n");
        assertThat(decoded).containsExactly(SnapMessage.unicast(0x5de663, 0, 0, "ok", List.of()));
        assertThat(codec.stats().framingErrors()).isEqualTo(5);
    }

    @Test
    void an_oversize_line_is_dropped_up_to_its_end_and_counted() {
        feed("5de663 f " + "x".repeat(LineCodec.MAX_LINE) + "\n5de663 g\n");
        assertThat(decoded).containsExactly(SnapMessage.unicast(0x5de663, 0, 0, "g", List.of()));
        assertThat(codec.stats().oversizeFrames()).isEqualTo(1);
    }

    @Test
    void encode_round_trips_through_decode() {
        SnapMessage unicast = SnapMessage.unicast(0x20, 0x5de663, 0, "setLed", Arrays.asList(true, null, -7,
                new SnapString(new byte[] {'a', ' ', '"', 0x7f}), new SnapByteList(new byte[] {1, 2})));
        SnapMessage multicast = SnapMessage.multicast(0x20, 3, 5, 0, "reboot", List.of());
        byte[] bytes = codec.encode(unicast);
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
                .isEqualTo("000020>5de663 setLed True None -7 \"a \\\"\\x7f\" [1,2]\n");
        codec.decode(bytes, 0, bytes.length, decoded::add);
        byte[] mc = codec.encode(multicast);
        codec.decode(mc, 0, mc.length, decoded::add);
        assertThat(decoded).containsExactly(unicast, multicast);
    }

    @Test
    void encode_refuses_data_mode_and_bad_function_names() {
        assertThatThrownBy(() -> codec.encode(new SnapMessage(SnapMessage.Kind.DATA_MODE, 1, 2, 0, 0, "",
                List.of(SnapString.latin1("x"))))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encode(SnapMessage.unicast(1, 2, 0, "two words", List.of())))
                .isInstanceOf(IllegalArgumentException.class);
        // printed, it would not parse back: the name would open a quoted string
        assertThatThrownBy(() -> codec.encode(SnapMessage.unicast(1, 2, 0, "\"quoted", List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
