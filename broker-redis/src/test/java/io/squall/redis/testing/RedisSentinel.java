package io.squall.redis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real Redis Sentinel ({@code redis-server --sentinel}) watching one master as {@code mymaster}. Always close it. */
public final class RedisSentinel implements AutoCloseable {
    public static final String MASTER_NAME = "mymaster";

    private final int port;
    private final Path dir;
    private final Process process;

    private RedisSentinel(RedisServer master) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            dir = Files.createTempDirectory("squall-sentinel-" + port + "-");
            Path config = dir.resolve("sentinel.conf");
            // Sentinel rewrites its config file, so it must be a writable file of its own
            Files.writeString(config, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n"
                    + "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1\n");
            process = new ProcessBuilder("redis-server", config.toString(), "--sentinel")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sentinel.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server --sentinel", e);
        }
        long deadline = System.currentTimeMillis() + 10_000;
        List<String> ask = List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "sentinel", "get-master-addr-by-name", MASTER_NAME);
        while (!RedisServer.run(ask).contains(Integer.toString(master.port()))) {
            if (System.currentTimeMillis() > deadline) {
                close();
                throw new IllegalStateException("sentinel on port " + port + " did not come up");
            }
            RedisServer.sleep(20);
        }
    }

    public static RedisSentinel watching(RedisServer master) {
        return new RedisSentinel(master);
    }

    /** {@code redis-sentinel://127.0.0.1:<port>#mymaster} */
    public String uri() {
        return "redis-sentinel://127.0.0.1:" + port + "#" + MASTER_NAME;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
