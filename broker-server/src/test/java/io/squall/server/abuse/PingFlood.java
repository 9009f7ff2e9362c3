package io.squall.server.abuse;

import io.squall.server.testing.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Peers that send pings as fast as the socket takes them and never read, with a 4 KiB receive window (finding 1): every ping asks for a pong the
 * peer will never take. Each flooder that is cut reconnects and floods again until the deadline.
 */
final class PingFlood implements Attack {
    private static final int FLOODERS = 2;
    /** Full-size pings (125 bytes) per socket write. */
    private static final int BATCH = 100;

    private final List<Socket> open = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @Override
    public String name() {
        return "ping-flood";
    }

    @Override
    public void run(AbuseTarget target, long deadlineNanos, Counts counts) throws InterruptedException {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < BATCH; i++) {
            batch.writeBytes(RawWebSocket.encode(RawWebSocket.PING, true, new byte[125]));
        }
        byte[] bytes = batch.toByteArray();
        for (int i = 0; i < FLOODERS; i++) {
            Thread thread = new Thread(() -> flood(target, bytes, deadlineNanos, counts), "abuse-ping-flood-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long left = deadlineNanos - System.nanoTime();
        Thread.sleep(Math.max(0, left / 1_000_000));
        for (Thread thread : threads) {
            thread.join(2_000); // one blocked in a write to a broker that stopped reading stays blocked until release
        }
    }

    private void flood(AbuseTarget target, byte[] bytes, long deadlineNanos, Counts counts) {
        while (Attack.before(deadlineNanos)) {
            Socket socket = new Socket();
            synchronized (open) {
                open.add(socket);
            }
            try {
                // a small window, as an attacker would choose: the broker's pongs back up at once
                socket.setReceiveBufferSize(4 * 1024);
                socket.connect(new InetSocketAddress("127.0.0.1", target.publicPort()), 2_000);
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(Conn.upgradeRequest(target.publicPort())
                        .getBytes(StandardCharsets.US_ASCII));
                if (RawWebSocket.readHead(socket.getInputStream()).status() != 101) {
                    counts.add("refused", 1);
                    closeQuietly(socket);
                    continue;
                }
            } catch (IOException e) {
                counts.add("connects failed", 1);
                closeQuietly(socket);
                Probes.sleepMillis(200);
                continue;
            }
            try {
                while (Attack.before(deadlineNanos)) {
                    socket.getOutputStream().write(bytes);
                    counts.add("pings", BATCH);
                }
                return; // deadline: held open, still unread
            } catch (IOException e) {
                counts.add("cut", 1); // the write failed: the broker closed the connection
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void release(Counts counts) {
        synchronized (open) {
            open.forEach(PingFlood::closeQuietly);
        }
        for (Thread thread : threads) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
