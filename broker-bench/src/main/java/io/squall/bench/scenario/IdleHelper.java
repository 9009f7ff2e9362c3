package io.squall.bench.scenario;

import io.squall.bench.net.WsConnector;
import io.squall.bench.proto.Endpoints;
import io.squall.bench.proto.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second generator process of the idle scenario. It reads target counts from its standard input, one a line,
 * opens idle connections up to each, and answers {@code holding N closed C} (or {@code failed: ...}) on its
 * output. It exits when its input closes, so it never outlives the generator that started it.
 */
public final class IdleHelper {
    private static final Logger log = LoggerFactory.getLogger(IdleHelper.class);

    private IdleHelper() {}

    /** Starts a helper process (the generator knows its own command line). */
    @FunctionalInterface
    public interface Launcher {
        Remote start();
    }

    /** Helper side: serves hold requests from {@code commands} until it ends. */
    public static void serve(Protocol protocol, Endpoints endpoints, List<String> sources, InputStream commands)
            throws IOException {
        Counters counters = new Counters();
        try (WsConnector connector = new WsConnector(sources);
                Crowd crowd = new Crowd(connector, protocol, endpoints, counters);
                BufferedReader in = new BufferedReader(new InputStreamReader(commands, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int target = Integer.parseInt(line.trim());
                try {
                    if (target > crowd.size()) {
                        crowd.open(crowd.size(), target - crowd.size(), id -> List.of(),
                                RunContext.openTimeout(target));
                    }
                    log.info("holding {} closed {}", crowd.size(), counters.closed.get());
                } catch (RuntimeException e) {
                    log.info("failed: {}", e.getMessage());
                }
            }
        }
    }

    /** Generator side: the running helper process. */
    public static final class Remote implements AutoCloseable {
        private final Process process;
        private final OutputStream commands;
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        private volatile long closed;

        public Remote(Process process) {
            this.process = process;
            this.commands = process.getOutputStream();
            Thread reader = new Thread(this::readAnswers, "idle-helper-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void readAnswers() {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("holding ") || line.startsWith("failed")) {
                        answers.add(line);
                    } else {
                        log.info("  [helper] {}", line.trim());
                    }
                }
            } catch (IOException e) {
                answers.add("failed: helper output broke: " + e);
            }
            answers.add("failed: helper exited");
        }

        /** Asks the helper to hold {@code count} connections and waits for it to confirm. */
        void hold(int count, Duration timeout) {
            ask(count);
            await(count, timeout);
        }

        /** Asks the helper to hold {@code count} connections (asked again: reports its closed count). */
        void ask(int count) {
            try {
                commands.write((count + "\n").getBytes(StandardCharsets.UTF_8));
                commands.flush();
            } catch (IOException e) {
                throw new IllegalStateException("second generator unreachable", e);
            }
        }

        /** Waits for the helper to confirm that it holds {@code count} connections. */
        void await(int count, Duration timeout) {
            try {
                String answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (answer == null || !answer.startsWith("holding " + count + " ")) {
                    throw new IllegalStateException("second generator: " + answer);
                }
                closed = Long.parseLong(answer.substring(answer.lastIndexOf(' ') + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        long closed() {
            return closed;
        }

        @Override
        public void close() {
            try {
                commands.close();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroy();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                process.destroy();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
