package io.squall.bench.soak;

import io.squall.snap.codec.SnapCodecs;
import io.squall.snap.codec.SnapFrameCodec;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.codec.SnapString;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Simulated SNAP nodes writing SNAPB/1 frames into the mesh end of the pty pair, as a bridge node's UART would:
 * each multicasts {@code tick("<seq>", "<send time>")} to group 1, so the bridge publishes it on
 * {@code snap/<src>/tick} and on {@code snap/all}. Each node numbers its ticks from 0.
 */
final class SnapFeed implements AutoCloseable {
    static final int FIRST_NODE = 0x5e0001;
    static final String FUNCTION = "tick";

    private final SnapFrameCodec codec = SnapCodecs.create(SnapCodecs.SNAPB1);
    private final OutputStream out;
    private final AtomicLongArray written;
    private final Tally tally;
    private int next;

    SnapFeed(Path meshEnd, int nodes, Tally tally) throws IOException {
        this.out = new FileOutputStream(meshEnd.toFile());
        this.written = new AtomicLongArray(nodes);
        this.tally = tally;
    }

    static String address(int node) {
        return String.format(Locale.ROOT, "%06x", FIRST_NODE + node);
    }

    /** The channels a subscriber of every node's ticks joins. */
    static List<String> channels(int nodes) {
        List<String> channels = new ArrayList<>(List.of("snap/all"));
        for (int i = 0; i < nodes; i++) {
            channels.add("snap/" + address(i) + "/" + FUNCTION);
        }
        return channels;
    }

    int nodes() {
        return written.length();
    }

    long written(int node) {
        return written.get(node);
    }

    long writtenTotal() {
        long sum = 0;
        for (int i = 0; i < written.length(); i++) {
            sum += written.get(i);
        }
        return sum;
    }

    /** Writes {@code count} frames, the nodes taking turns (on the caller's thread: one writer). */
    void write(int count) {
        try {
            for (int i = 0; i < count; i++) {
                int node = next++ % written.length();
                long seq = written.get(node);
                SnapMessage tick = SnapMessage.multicast(FIRST_NODE + node, 1, 3, (int) (seq & 0xff), FUNCTION,
                        List.of(SnapString.latin1(Long.toString(seq)),
                                SnapString.latin1(Long.toHexString(System.nanoTime()))));
                out.write(codec.encode(tick));
                written.incrementAndGet(node);
            }
            out.flush();
        } catch (IOException e) {
            tally.error("writing to the SNAP pty: " + e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** A subscriber of the SNAP channels: each node's ticks are a stream on each channel. */
    static final class Subscriber extends SoakClient {
        Subscriber(Tally tally) {
            super(tally, 0);
        }

        @Override
        void publication(String channel, com.fasterxml.jackson.databind.JsonNode message) {
            var args = message.path("args");
            if (!FUNCTION.equals(message.path("function").asText()) || args.size() != 2) {
                tally.error("unexpected SNAP publication on " + channel + ": " + message);
                return;
            }
            try {
                stream(channel + "|" + message.path("src").asText(), Long.parseLong(args.get(0).asText()),
                        Long.parseUnsignedLong(args.get(1).asText(), 16));
            } catch (NumberFormatException e) {
                tally.error("unreadable SNAP tick on " + channel + ": " + message);
            }
        }
    }
}
