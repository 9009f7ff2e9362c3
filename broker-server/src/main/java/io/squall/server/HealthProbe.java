package io.squall.server;

import io.squall.server.config.ConfigLoader;
import io.squall.server.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The container health check: {@code java -cp squall.jar io.squall.server.HealthProbe [--key=value ...]} asks the
 * broker's readiness endpoint ({@code /health} on the private port) and exits 0 when it answers 200, 1 otherwise,
 * printing one line (Docker keeps it in {@code docker inspect}). It reads the configuration exactly as the broker
 * does (environment, config file, flags), so it follows {@code SQUALL_PRIVATE_PORT} and the like, and it needs
 * nothing in the image but the JRE that runs the broker: no curl, wget or shell.
 */
public final class HealthProbe {
    private static final int TIMEOUT_MILLIS = 2_000;

    private HealthProbe() {}

    @SuppressForbidden("a command-line probe: its one output line is its result")
    public static void main(String[] args) {
        String result;
        boolean up;
        try {
            ServerConfig config = ConfigLoader.load(args, System.getenv());
            String host = probeHost(config.privateHost());
            String statusLine = get(host, config.privatePort(), "/health");
            up = statusLine.startsWith("HTTP/1.1 200") || statusLine.startsWith("HTTP/1.0 200");
            result = (up ? "UP: " : "DOWN: ") + "http://" + host + ":" + config.privatePort() + "/health answered "
                    + statusLine;
        } catch (IOException | RuntimeException e) {
            up = false;
            result = "DOWN: " + e;
        }
        System.out.println(result);
        System.exit(up ? 0 : 1);
    }

    /** A wildcard listener is reached on loopback; a specific address only on itself. */
    static String probeHost(String privateHost) {
        return switch (privateHost) {
            case "0.0.0.0", "", "localhost" -> "127.0.0.1";
            case "::", "[::]", "::0" -> "::1";
            default -> privateHost;
        };
    }

    /** One HTTP/1.1 GET over a plain socket (the JDK's HTTP client would double the probe's start-up cost). */
    static String get(String host, int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            String authority = host.contains(":") ? "[" + host + "]" : host;
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + authority + ":" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return readLine(socket.getInputStream());
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1 && b != '\n' && line.length() < 200; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        if (line.isEmpty()) {
            throw new IOException("empty answer");
        }
        return line.toString();
    }
}
