package io.squall.snap.codec;

import static io.squall.snap.codec.Vectors.TV1;
import static io.squall.snap.codec.Vectors.TV1_FRAME;
import static io.squall.snap.codec.Vectors.TV1_PAYLOAD;
import static io.squall.snap.codec.Vectors.TV2;
import static io.squall.snap.codec.Vectors.TV2_FRAME;
import static io.squall.snap.codec.Vectors.TV2_PAYLOAD;
import static io.squall.snap.codec.Vectors.concat;
import static io.squall.snap.codec.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Snapb1CodecTest {
    private final Snapb1Codec codec = new Snapb1Codec();
    private final List<SnapMessage> decoded = new ArrayList<>();

    private List<SnapMessage> feed(byte[] bytes) {
        codec.decode(bytes, 0, bytes.length, decoded::add);
        return decoded;
    }

    @Test
    void crc_of_the_check_string_is_29b1() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc16Ccitt.compute(check, 0, check.length)).isEqualTo(0x29B1);
    }

    @Test
    void vector_crcs_match_the_specification() {
        assertThat(Crc16Ccitt.compute(TV1_PAYLOAD, 0, TV1_PAYLOAD.length)).isEqualTo(0x7ED5);
        assertThat(Crc16Ccitt.compute(TV2_PAYLOAD, 0, TV2_PAYLOAD.length)).isEqualTo(0x2F6C);
    }

    @Test
    void vector_1_decodes_to_the_status_multicast() {
        assertThat(feed(TV1_FRAME)).containsExactly(TV1);
        assertThat(codec.stats().frames()).isEqualTo(1);
        assertThat(codec.stats().dropped()).isZero();
    }

    @Test
    void vector_2_decodes_every_argument_type() {
        assertThat(feed(TV2_FRAME)).containsExactly(TV2);
    }

    @Test
    void encoding_the_vectors_gives_the_exact_frames() {
        assertThat(codec.encode(TV1)).isEqualTo(TV1_FRAME);
        assertThat(codec.encode(TV2)).isEqualTo(TV2_FRAME);
        assertThat(Snapb1Payload.encode(TV1)).isEqualTo(TV1_PAYLOAD);
        assertThat(Snapb1Payload.encode(TV2)).isEqualTo(TV2_PAYLOAD);
    }

    @Test
    void vector_3_resynchronises_after_noise_a_fragment_and_a_truncated_frame() {
        byte[] noise = concat(hex("13 37"), "garbage".getBytes(StandardCharsets.US_ASCII), hex("7e 01 02"));
        byte[] truncated = Arrays.copyOf(TV2_FRAME, TV2_FRAME.length - 5);
        byte[] stream = concat(noise, TV1_FRAME, truncated, TV1_FRAME, TV2_FRAME);

        assertThat(feed(stream)).containsExactly(TV1, TV1, TV2);
        assertThat(codec.stats().crcErrors()).isEqualTo(1);
        assertThat(codec.stats().framingErrors()).isEqualTo(1); // the 2-byte fragment
    }

    @Test
    void every_split_point_of_every_vector_decodes_the_same() {
        byte[] stream = concat(TV1_FRAME, TV2_FRAME);
        for (int split = 0; split <= stream.length; split++) {
            Snapb1Codec fresh = new Snapb1Codec();
            List<SnapMessage> out = new ArrayList<>();
            fresh.decode(stream, 0, split, out::add);
            fresh.decode(stream, split, stream.length - split, out::add);
            assertThat(out).as("split at %d", split).containsExactly(TV1, TV2);
            assertThat(fresh.stats().dropped()).as("split at %d", split).isZero();
        }
    }

    @Test
    void every_pair_of_split_points_of_vector_1_decodes_the_same() {
        for (int a = 0; a <= TV1_FRAME.length; a++) {
            for (int b = a; b <= TV1_FRAME.length; b++) {
                Snapb1Codec fresh = new Snapb1Codec();
                List<SnapMessage> out = new ArrayList<>();
                fresh.decode(TV1_FRAME, 0, a, out::add);
                fresh.decode(TV1_FRAME, a, b - a, out::add);
                fresh.decode(TV1_FRAME, b, TV1_FRAME.length - b, out::add);
                assertThat(out).as("splits %d, %d", a, b).containsExactly(TV1);
            }
        }
    }

    @Test
    void byte_at_a_time_decodes_the_same() {
        byte[] stream = concat(TV2_FRAME, TV1_FRAME);
        for (byte b : stream) {
            codec.decode(new byte[] {b}, 0, 1, decoded::add);
        }
        assertThat(decoded).containsExactly(TV2, TV1);
    }

    @Test
    void one_flag_may_end_a_frame_and_start_the_next() {
        byte[] shared = concat(TV1_FRAME, Arrays.copyOfRange(TV2_FRAME, 1, TV2_FRAME.length));
        assertThat(feed(shared)).containsExactly(TV1, TV2);
    }

    @Test
    void empty_frames_are_ignored_and_not_counted() {
        assertThat(feed(hex("7e 7e 7e 7e"))).isEmpty();
        assertThat(codec.stats().dropped()).isZero();
    }

    @Test
    void a_corrupted_byte_is_a_crc_error_and_the_next_frame_still_decodes() {
        byte[] bad = TV1_FRAME.clone();
        bad[12] ^= 0x01;
        assertThat(feed(concat(bad, TV2_FRAME))).containsExactly(TV2);
        assertThat(codec.stats().crcErrors()).isEqualTo(1);
    }

    @Test
    void escape_then_flag_aborts_the_frame() {
        byte[] aborted = concat(Arrays.copyOf(TV1_FRAME, 10), hex("7d 7e"));
        assertThat(feed(concat(aborted, Arrays.copyOfRange(TV1_FRAME, 1, TV1_FRAME.length)))).containsExactly(TV1);
        assertThat(codec.stats().framingErrors()).isEqualTo(1);
    }

    @Test
    void oversize_frames_are_dropped_counted_and_followed_by_good_ones() {
        byte[] big = new byte[400];
        Arrays.fill(big, (byte) 0x41);
        assertThat(feed(concat(hex("7e"), big, TV1_FRAME))).containsExactly(TV1);
        assertThat(codec.stats().oversizeFrames()).isEqualTo(1);
    }

    @Test
    void a_body_of_exactly_257_bytes_is_not_oversize() {
        byte[] body = new byte[Snapb1Codec.MAX_BODY];
        feed(concat(hex("7e"), body, hex("7e")));
        assertThat(codec.stats().oversizeFrames()).isZero();
        assertThat(codec.stats().crcErrors()).isEqualTo(1);
    }

    @Test
    void unknown_version_kind_and_tag_are_counted_as_unsupported() {
        assertThat(feed(frame(withByte(TV1_PAYLOAD, 0, 0x02)))).isEmpty();
        assertThat(feed(frame(withByte(TV1_PAYLOAD, 1, 0x03)))).isEmpty(); // directed multicast: reserved
        assertThat(feed(frame(withByte(TV1_PAYLOAD, 1, 0x7F)))).isEmpty(); // bridge status: reserved
        assertThat(feed(frame(withByte(TV1_PAYLOAD, 18, 0x09)))).isEmpty(); // first arg tag
        assertThat(codec.stats().unsupportedFrames()).isEqualTo(4);
    }

    @Test
    void a_payload_whose_arguments_overrun_is_a_framing_error() {
        byte[] cut = Arrays.copyOf(TV1_PAYLOAD, TV1_PAYLOAD.length - 1);
        byte[] extra = concat(TV1_PAYLOAD, hex("00"));
        assertThat(feed(concat(frame(cut), frame(extra)))).isEmpty();
        assertThat(codec.stats().framingErrors()).isEqualTo(2);
    }

    @Test
    void reset_drops_a_partial_frame() {
        codec.decode(TV1_FRAME, 0, 15, decoded::add);
        codec.reset();
        feed(Arrays.copyOfRange(TV1_FRAME, 15, TV1_FRAME.length));
        feed(TV2_FRAME);
        assertThat(decoded).containsExactly(TV2);
        assertThat(codec.stats().dropped()).isZero(); // the tail before the flag is noise while hunting
    }

    @Test
    void random_noise_between_frames_never_loses_a_frame_that_follows_a_flag() {
        Random random = new Random(42);
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] noise = new byte[random.nextInt(40)];
            random.nextBytes(noise);
            parts.add(noise);
            parts.add(i % 2 == 0 ? TV1_FRAME : TV2_FRAME);
        }
        feed(concat(parts.toArray(byte[][]::new)));
        long good = decoded.stream().filter(m -> m.equals(TV1) || m.equals(TV2)).count();
        assertThat(good).isEqualTo(200);
        assertThat(decoded).hasSize(200);
    }

    @Test
    void encode_round_trips_data_mode_and_edge_values() {
        SnapMessage dataMode = new SnapMessage(SnapMessage.Kind.DATA_MODE, 0xffffff, 0x7e7d7e, 0, 255, "",
                List.of(new SnapString(new byte[] {0x7e, 0x7d, 0})));
        SnapMessage ints = SnapMessage.unicast(1, 2, 0, "f", List.of(-32768, 32767, 0, -1));
        assertThat(feed(concat(codec.encode(dataMode), codec.encode(ints)))).containsExactly(dataMode, ints);
    }

    @Test
    void encode_refuses_what_the_decoder_would_drop() {
        // a data-mode packet without its one byte string, and a name that ISO-8859-1 would turn into '?'
        assertThatThrownBy(() -> codec.encode(new SnapMessage(SnapMessage.Kind.DATA_MODE, 1, 2, 0, 0, "", List.of())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encode(new SnapMessage(SnapMessage.Kind.DATA_MODE, 1, 2, 0, 0, "f",
                List.of(SnapString.latin1("x"))))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encode(SnapMessage.unicast(1, 2, 0, "caf\u20ac", List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encode_refuses_a_packet_over_255_bytes() {
        byte[] big = new byte[255];
        SnapMessage message = SnapMessage.unicast(1, 2, 0, "f", List.of(new SnapString(big)));
        assertThatThrownBy(() -> codec.encode(message)).hasMessageContaining("greater than 255");
    }

    @Test
    void messages_refuse_values_snap_cannot_carry() {
        assertThatThrownBy(() -> SnapMessage.unicast(1, 2, 0, "f", List.of(40_000)))
                .hasMessageContaining("Int out of range");
        assertThatThrownBy(() -> SnapMessage.unicast(1, 2, 0, "f", List.of("text")))
                .hasMessageContaining("Unsupported DataType");
        assertThatThrownBy(() -> new SnapString(new byte[256])).hasMessageContaining("255");
        assertThatThrownBy(() -> SnapMessage.multicast(1, 0x10000, 1, 0, "f", Collections.emptyList()))
                .hasMessageContaining("destination");
    }

    private static byte[] frame(byte[] payload) {
        int crc = Crc16Ccitt.compute(payload, 0, payload.length);
        byte[] body = concat(payload, new byte[] {(byte) (crc >>> 8), (byte) crc});
        List<Byte> out = new ArrayList<>();
        out.add((byte) 0x7e);
        for (byte b : body) {
            if (b == 0x7e || b == 0x7d) {
                out.add((byte) 0x7d);
                out.add((byte) (b ^ 0x20));
            } else {
                out.add(b);
            }
        }
        out.add((byte) 0x7e);
        byte[] bytes = new byte[out.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = out.get(i);
        }
        return bytes;
    }

    private static byte[] withByte(byte[] payload, int index, int value) {
        byte[] copy = payload.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
