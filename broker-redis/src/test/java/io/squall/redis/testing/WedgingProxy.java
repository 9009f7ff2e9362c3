package io.squall.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of a Redis that can make its pub/sub connections deaf: {@link #wedge()} keeps their sockets
 * open but drops everything Redis sends them from then on (the "open TCP, no deliveries" failure seen after
 * failovers). Connections opened later relay normally.
 */
public final class WedgingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final List<Relay> relays = new CopyOnWriteArrayList<>();

    public WedgingProxy(int targetPort) {
        this.target = targetPort;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(this::accept, "proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public String uri() {
        return "redis://127.0.0.1:" + listener.getLocalPort();
    }

    /** Every pub/sub connection open now stops receiving anything, silently. */
    public void wedge() {
        relays.stream().filter(relay -> relay.pubSub).forEach(relay -> relay.deaf = true);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                Relay relay = new Relay(client, server);
                relays.add(relay);
                relay.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        relays.forEach(Relay::close);
    }

    private static final class Relay {
        final Socket client;
        final Socket server;
        volatile boolean pubSub;
        volatile boolean deaf;

        Relay(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            pump("proxy-up", client, server, true);
            pump("proxy-down", server, client, false);
        }

        private void pump(String name, Socket from, Socket to, boolean upstream) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        if (upstream && new String(buffer, 0, read, StandardCharsets.ISO_8859_1)
                                .toUpperCase(Locale.ROOT).contains("SUBSCRIBE")) {
                            pubSub = true;
                        }
                        if (!upstream && deaf) {
                            continue;
                        }
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                } catch (IOException ignored) {
                    // either side closed
                } finally {
                    close();
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        void close() {
            try {
                client.close();
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
