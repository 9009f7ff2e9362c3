package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.protocol.EncodedMessage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboxTest {
    private final Outbox outbox = new Outbox();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 65_535, 65_536, 200_000})
    void a_text_frame_gets_the_header_for_its_length(int size) {
        byte[] payload = "b".repeat(size).getBytes(StandardCharsets.UTF_8);
        outbox.add(new EncodedMessage(payload));

        byte[] wire = drain(1 << 20, Integer.MAX_VALUE);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(0x81);
        if (size < 126) {
            expected.write(size);
        } else if (size < 65_536) {
            expected.write(126);
            expected.write(size >> 8);
            expected.write(size);
        } else {
            expected.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                expected.write((int) ((long) size >> shift));
            }
        }
        expected.writeBytes(payload);
        assertThat(wire).isEqualTo(expected.toByteArray());
        assertThat(Outbox.wireLength(new EncodedMessage(payload))).isEqualTo(wire.length);
    }

    @Test
    void partial_writes_resume_inside_a_frame_even_inside_its_header() {
        EncodedMessage shared = new EncodedMessage("x".repeat(300).getBytes(StandardCharsets.UTF_8));
        byte[] whole = drain(threeFrames(shared), 1 << 16, Integer.MAX_VALUE);
        assertThat(whole).hasSize(4 + 300 + 2 + 6);

        for (int step : new int[] {1, 2, 3, 7, 100}) {
            Outbox box = threeFrames(shared);
            assertThat(drain(box, 64, step)).as("socket taking %d bytes a time", step).isEqualTo(whole);
            assertThat(box.isEmpty()).isTrue();
        }
    }

    private static Outbox threeFrames(EncodedMessage shared) {
        Outbox box = new Outbox();
        box.add(shared);
        box.add(ControlFrames.PING);
        box.add(new EncodedMessage("tail".getBytes(StandardCharsets.UTF_8)));
        return box;
    }

    @Test
    void a_small_buffer_is_filled_with_as_many_frames_as_fit() {
        for (int i = 0; i < 10; i++) {
            outbox.add(new EncodedMessage(("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        ByteBuffer out = ByteBuffer.allocate(9); // two 4-byte frames and the first byte of a third
        assertThat(outbox.fill(out)).isEqualTo(9);
        assertThat(outbox.consume(9)).isEqualTo(2);
        assertThat(outbox.clear()).isEqualTo(8 * 4 - 1);
        assertThat(outbox.isEmpty()).isTrue();
    }

    @Test
    void only_the_first_add_after_a_flush_asks_for_one() {
        assertThat(outbox.add(ControlFrames.PING)).isTrue();
        assertThat(outbox.add(ControlFrames.PING)).isFalse();
        outbox.flushing();
        assertThat(outbox.add(ControlFrames.PING)).isTrue();
    }

    @Test
    void a_frame_written_at_once_leaves_flush_scheduling_alone() {
        outbox.addForImmediateWrite(ControlFrames.PING);
        assertThat(outbox.add(ControlFrames.PING)).as("nothing pending: the next frame asks for a flush").isTrue();
        outbox.addForImmediateWrite(ControlFrames.PING);
        assertThat(outbox.add(ControlFrames.PING)).as("a flush is still pending").isFalse();
    }

    @Test
    void a_ring_grown_by_a_burst_shrinks_back_once_drained() {
        for (int i = 0; i < 1_000; i++) {
            outbox.add(ControlFrames.PING);
        }
        assertThat(outbox.capacity()).isGreaterThanOrEqualTo(1_000);

        drain(1 << 16, Integer.MAX_VALUE);

        assertThat(outbox.isEmpty()).isTrue();
        assertThat(outbox.capacity()).isLessThanOrEqualTo(4);
        outbox.add(ControlFrames.PING);
        assertThat(drain(1 << 16, Integer.MAX_VALUE)).containsExactly(ControlFrames.PING);
    }

    @Test
    void the_ring_grows_and_keeps_order() {
        for (int i = 0; i < 100; i++) {
            outbox.add(new EncodedMessage(String.valueOf(i).getBytes(StandardCharsets.UTF_8)));
        }
        byte[] wire = drain(1 << 16, 5);
        StringBuilder texts = new StringBuilder();
        for (int at = 0; at < wire.length; at += 2 + wire[at + 1]) {
            texts.append(new String(wire, at + 2, wire[at + 1], StandardCharsets.UTF_8)).append(',');
        }
        assertThat(texts.toString()).startsWith("0,1,2,3,").endsWith(",98,99,");
    }

    @Test
    void a_newer_pong_takes_the_place_of_one_still_waiting() {
        byte[] first = ControlFrames.pong(new byte[] {1});
        byte[] latest = ControlFrames.pong(new byte[] {2, 2});
        outbox.add(new EncodedMessage("a".getBytes(StandardCharsets.UTF_8)));
        assertThat(outbox.addPong(first)).as("nothing to replace").isZero();
        outbox.add(new EncodedMessage("b".getBytes(StandardCharsets.UTF_8)));

        assertThat(outbox.addPong(latest)).as("the replaced pong's length").isEqualTo(first.length);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {(byte) 0x81, 1, 'a'});
        expected.writeBytes(latest);
        expected.writeBytes(new byte[] {(byte) 0x81, 1, 'b'});
        assertThat(drain(1 << 16, Integer.MAX_VALUE)).as("in the first pong's place").isEqualTo(expected.toByteArray());
    }

    @Test
    void a_pong_partly_written_is_finished_and_the_next_one_queued_behind_it() {
        byte[] first = ControlFrames.pong(new byte[] {1, 1, 1});
        byte[] latest = ControlFrames.pong(new byte[] {2});
        outbox.addPong(first);
        ByteBuffer out = ByteBuffer.allocate(64);
        outbox.fill(out);
        outbox.consume(2); // the socket took its header only

        assertThat(outbox.addPong(latest)).as("a begun pong is never replaced").isZero();

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(first, 2, first.length - 2);
        expected.writeBytes(latest);
        assertThat(drain(1 << 16, Integer.MAX_VALUE)).isEqualTo(expected.toByteArray());
        assertThat(outbox.addPong(first)).as("the written pongs are gone: a new one is queued").isZero();
    }

    @Test
    void a_pong_is_replaced_in_place_after_the_ring_grew() {
        outbox.addPong(ControlFrames.pong(new byte[] {1}));
        for (int i = 0; i < 100; i++) {
            outbox.add(ControlFrames.PING);
        }
        byte[] latest = ControlFrames.pong(new byte[] {2});

        assertThat(outbox.addPong(latest)).isEqualTo(latest.length);

        byte[] wire = drain(1 << 16, 7);
        assertThat(wire).startsWith(latest).hasSize(latest.length + 100 * ControlFrames.PING.length);
    }

    private byte[] drain(int bufferBytes, int socketTakes) {
        return drain(outbox, bufferBytes, socketTakes);
    }

    /** Writes like the IO thread does, with a socket that takes at most {@code socketTakes} bytes a write. */
    private static byte[] drain(Outbox box, int bufferBytes, int socketTakes) {
        ByteArrayOutputStream socket = new ByteArrayOutputStream();
        ByteBuffer out = ByteBuffer.allocate(bufferBytes);
        while (true) {
            out.clear();
            if (box.fill(out) == 0) {
                return socket.toByteArray();
            }
            out.flip();
            int taken = Math.min(socketTakes, out.remaining());
            socket.write(out.array(), 0, taken);
            box.consume(taken);
        }
    }
}
