package io.squall.server.abuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Giant request heads on both ports (finding 2): each connection sends a request line and 1 MiB of header lines
 * (64 of 16 KiB, one line per connection every 20 ms: the attacker's CPU is the broker's on a test machine), and
 * never ends the head. A connection the broker answers or cuts
 * is replaced (at most once a second per slot) until the deadline.
 */
final class GiantHeaders implements Attack {
    static final int PER_PORT = 64;
    private static final int LINES = 64;
    private static final long REOPEN_MILLIS = 1_000;
    private static final long ROUND_MILLIS = 20;
    private static final byte[] LINE = line();

    private final List<Slot> slots = new ArrayList<>();

    private static final class Slot {
        final int port;
        final String label;
        final String requestLine;
        Conn conn;
        int lines;
        long reopenAfterNanos;

        Slot(int port, String label, String requestLine) {
            this.port = port;
            this.label = label;
            this.requestLine = requestLine;
        }
    }

    private static byte[] line() {
        char[] value = new char[16 * 1024 - 16];
        Arrays.fill(value, 'a');
        return ("X-Big: " + new String(value) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String name() {
        return "giant-headers";
    }

    @Override
    public void run(AbuseTarget target, long deadlineNanos, Counts counts) {
        for (int i = 0; i < PER_PORT; i++) {
            slots.add(new Slot(target.publicPort(), "public", "GET /ws HTTP/1.1\r\n"));
            slots.add(new Slot(target.privatePort(), "private", "POST /backend HTTP/1.1\r\n"));
        }
        counts.add("public 4xx", 0);
        counts.add("private 4xx", 0);
        while (Attack.before(deadlineNanos)) {
            long started = System.nanoTime();
            for (Slot slot : slots) {
                step(slot, counts);
            }
            Probes.sleepMillis(Math.max(1, ROUND_MILLIS - (System.nanoTime() - started) / 1_000_000));
        }
        Probes.sleepMillis(300); // answers to the last heads on their way
        slots.stream().filter(slot -> slot.conn != null).forEach(slot -> slot.conn.pump());
        // held: the whole 1 MiB written, and the connection still open without an answer
        counts.set("held", slots.stream().filter(slot -> slot.conn != null && !slot.conn.closedByPeer()
                && slot.conn.status() < 0 && slot.conn.flushed() && slot.lines == LINES).count());
    }

    /** Moves one slot on: opens it, or sends its next line once the previous one was taken. */
    private static void step(Slot slot, Counts counts) {
        if (slot.conn == null) {
            if (System.nanoTime() - slot.reopenAfterNanos < 0) {
                return;
            }
            try {
                slot.conn = Conn.open(slot.port, 0).queue(slot.requestLine + "Host: 127.0.0.1\r\n");
                slot.lines = 0;
                counts.add(slot.label + " opened", 1);
            } catch (IOException e) {
                counts.add(slot.label + " connects failed", 1);
                slot.reopenAfterNanos = System.nanoTime() + REOPEN_MILLIS * 1_000_000;
                return;
            }
        }
        if (slot.conn.flushed() && slot.lines < LINES) {
            slot.conn.queue(LINE);
            slot.lines++;
        }
        boolean open = slot.conn.pump();
        int status = slot.conn.status();
        if (!open || status > 0) {
            if (status >= 400 && status < 500) {
                counts.add(slot.label + " 4xx", 1);
            } else if (status > 0) {
                counts.add(slot.label + " " + status, 1);
            } else {
                counts.add(slot.label + " cut", 1);
            }
            slot.conn.close();
            slot.conn = null;
            slot.reopenAfterNanos = System.nanoTime() + REOPEN_MILLIS * 1_000_000;
        }
    }

    @Override
    public void release(Counts counts) {
        slots.stream().filter(slot -> slot.conn != null).forEach(slot -> slot.conn.close());
    }
}
