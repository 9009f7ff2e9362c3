package io.squall.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.squall.bench.net.FrameDecoder;
import io.squall.bench.net.WsConnection;
import io.squall.bench.proto.Marker;
import io.squall.bench.proto.SquallProtocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery after a node restart (Squall only): {@code clients} subscribe with {@code recoverable: true} on node A
 * (the endpoints' subscriber URL), node A is stopped, {@code publications} are published into every channel through
 * node B (the endpoints' backend publisher), node A is started again, and every client reconnects to it with
 * {@code since} its last position. Measured: the time from the start of the reconnection until every client has
 * all it missed, each client's own time, and how many subscriptions were answered {@code recovered: true}.
 * Node A is stopped and started by {@code control stop|start} (bin/bench writes that script; start returns once
 * the node is ready).
 */
public final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IN_FLIGHT = 500;
    /**
     * A subscription answered {@code Unavailable} (the engine busy past its command timeout) is tried again as a
     * client would: after {@code RETRY_MILLIS} plus a random part of an exponential backoff (full jitter, 5 s cap).
     */
    private static final long RETRY_MILLIS = 100;
    private static final long RETRY_CAP_MILLIS = 5000;

    private Recovery() {}

    /** Stops and starts node A; start returns once the node is ready. */
    public interface NodeControl {
        void stop();

        void start();

        /** Node A as a process that {@code script stop|start} stops and starts (bin/bench writes the script). */
        static NodeControl script(Path script) {
            return new NodeControl() {
                @Override
                public void stop() {
                    control(script, "stop");
                }

                @Override
                public void start() {
                    control(script, "start");
                }
            };
        }
    }

    public static void run(RunContext context, int clients, int channels, int publications, int payload,
            String prefix, NodeControl control) {
        log.info("squall recovery: {} clients on {} channel(s), {} publications behind", clients, channels,
                publications);
        State state = new State(clients, publications);
        SquallProtocol protocol = new SquallProtocol();
        Counters before = new Counters();
        try (Crowd first = new Crowd(context.connector(), protocol,
                id -> protocol.subscriberTarget(context.endpoints()), () -> new Decoder(state, before), before)) {
            state.retry = connection -> connection.loop().schedule(() -> {
                subscribe(connection, prefix + (connection.id() % channels), null);
                connection.flush();
            }, state.backoff(connection.id()), TimeUnit.MILLISECONDS);
            first.open(0, clients, (connection, id) -> subscribe(connection, prefix + (id % channels), null),
                    RunContext.openTimeout(clients));
            long known = Steps.await(context.connector().loop().submit(state::positions));
            if (known != clients) {
                throw new IllegalStateException("only " + known + " of " + clients + " subscriptions had a position");
            }
            control.stop();
            log.info("  node A stopped");
        }
        long published;
        try {
            if (!Steps.waitFor(() -> before.closed.get() >= clients, Duration.ofSeconds(30))) {
                throw new IllegalStateException("node A stopped but only " + before.closed.get() + " of " + clients
                        + " connections closed");
            }
            published = publishThroughB(context, channels, publications, payload, prefix);
        } finally {
            control.start();
            log.info("  node A started and ready");
        }
        Steps.await(context.connector().loop().submit(state::rewind));
        Counters after = new Counters();
        long start = System.nanoTime();
        try (Crowd second = new Crowd(context.connector(), protocol,
                id -> protocol.subscriberTarget(context.endpoints()), () -> new Decoder(state, after), after)) {
            state.retry = connection -> connection.loop().schedule(() -> {
                subscribe(connection, prefix + (connection.id() % channels), state.since(connection.id()));
                connection.flush();
            }, state.backoff(connection.id()), TimeUnit.MILLISECONDS);
            second.open(0, clients, (connection, id) -> subscribe(connection, prefix + (id % channels), state.since(id)),
                    RunContext.openTimeout(clients));
            Steps.waitFor(() -> Steps.await(context.connector().loop().submit(() -> state.done)) >= clients,
                    Duration.ofSeconds(120));
            Result result = Steps.await(context.connector().loop().submit(() -> state.result(start)));
            ResultRow.Builder row = ResultRow.of(protocol.name(), "recovery");
            row.connections = clients;
            row.payload = payload;
            row.published = published;
            row.expected = (long) clients * publications;
            row.delivered = result.delivered();
            row.lost = row.expected - result.delivered();
            row.recovered = result.recovered();
            row.elapsedMs = result.elapsedMs();
            row.rate = result.elapsedMs() > 0 ? (double) Math.round(result.delivered() / (result.elapsedMs() / 1000))
                    : null;
            row.p50 = result.millis(50);
            row.p99 = result.millis(99);
            row.p999 = result.millis(100);
            row.errors = after.errors.get() + after.closed.get() + result.duplicates();
            row.saturated = row.lost != 0 || row.recovered != clients;
            row.variant = channels + (channels == 1 ? " channel" : " channels");
            row.note = clients + " clients, each " + publications + " publications behind on "
                    + (channels == 1 ? "one shared channel" : channels + " channels") + "; " + result.complete()
                    + " complete" + (result.duplicates() > 0 ? "; " + result.duplicates() + " out of order or twice" : "")
                    + (result.retries() > 0 ? "; " + result.retries() + " subscriptions answered Unavailable and "
                            + "retried (exponential backoff with full jitter from " + RETRY_MILLIS + " ms)" : "");
            context.sink().add(row.build());
        }
    }

    private static int subscribe(WsConnection connection, String channel, long[] since) {
        String params = "{\"channel\":\"" + channel + "\","
                + (since == null ? "\"recoverable\":true}" : "\"since\":{\"offset\":" + since[0] + ",\"epoch\":\""
                        + State.EPOCHS.get((int) since[1]) + "\"}}");
        String frame = "{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":" + params
                + ",\"callId\":1}}";
        connection.write(connection.alloc().buffer(frame.length()).writeBytes(frame.getBytes(StandardCharsets.UTF_8)));
        return 1;
    }

    /** Publishes every channel's {@code publications} through node B's backend WebSocket; waits for every answer. */
    private static long publishThroughB(RunContext context, int channels, int publications, int payload,
            String prefix) {
        Counters counters = new Counters();
        WsConnection connection = context.openPublisher(counters);
        try {
            long base = counters.acks.get();
            long sent = 0;
            byte[] body = Marker.payload(payload, System.nanoTime(), 1);
            for (int p = 0; p < publications; p++) {
                for (int c = 0; c < channels; c++) {
                    context.protocol().publish(connection, prefix + c, body);
                    if (++sent % 100 == 0) {
                        connection.flush();
                        long limit = sent;
                        // at most IN_FLIGHT unanswered: a deeper queue would only wait in Redis past its timeout
                        Steps.waitFor(() -> counters.acks.get() - base >= limit - IN_FLIGHT
                                || counters.errors.get() > 0, Duration.ofSeconds(60));
                    }
                }
            }
            connection.flush();
            long total = sent;
            if (!Steps.waitFor(() -> counters.acks.get() - base >= total || counters.errors.get() > 0,
                    Duration.ofSeconds(120)) || counters.errors.get() > 0) {
                throw new IllegalStateException("node B accepted " + (counters.acks.get() - base) + " of " + total
                        + " publications (" + counters.errors.get() + " errors: " + counters.firstError() + ")");
            }
            log.info("  {} publications accepted by node B", total);
            return total;
        } finally {
            connection.close();
        }
    }

    private static void control(Path script, String action) {
        try {
            Process process = new ProcessBuilder(script.toString(), action).inheritIO().start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " " + action + " did not finish in 180 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " " + action + " failed: exit " + process.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Every client's position and progress; touched on the generator's loop thread only. */
    private static final class State {
        static final java.util.List<String> EPOCHS = new java.util.concurrent.CopyOnWriteArrayList<>();

        private final int publications;
        private final long[] offset;
        private final long[] epoch;
        private final long[] since;
        private final int[] received;
        private final long[] doneAt;
        private final boolean[] recovered;
        private final int[] attempts;
        private final java.util.Random random = new java.util.Random(1);
        long done;
        long duplicates;
        long retries;
        /** what a client does when its subscription is answered {@code Unavailable} (subscribes again) */
        java.util.function.Consumer<WsConnection> retry;

        State(int clients, int publications) {
            this.publications = publications;
            offset = new long[clients];
            epoch = new long[clients];
            since = new long[clients];
            received = new int[clients];
            doneAt = new long[clients];
            recovered = new boolean[clients];
            attempts = new int[clients];
            Arrays.fill(offset, -1);
        }

        /** How long client {@code id} waits before its next subscription attempt (one more attempt counted). */
        long backoff(int id) {
            int attempt = Math.min(attempts[id]++, 16);
            return RETRY_MILLIS + (long) (random.nextDouble() * Math.min(RETRY_CAP_MILLIS, RETRY_MILLIS << attempt));
        }

        long positions() {
            return Arrays.stream(offset).filter(o -> o >= 0).count();
        }

        /** The positions seen so far become what each client reconnects with. */
        Void rewind() {
            System.arraycopy(offset, 0, since, 0, offset.length);
            Arrays.fill(received, 0);
            Arrays.fill(doneAt, 0);
            Arrays.fill(recovered, false);
            Arrays.fill(attempts, 0);
            done = 0;
            duplicates = 0;
            retries = 0;
            return null;
        }

        long[] since(int id) {
            return new long[] {since[id], epoch[id]};
        }

        void answered(int id, JsonNode data) {
            if (data == null || !data.has("offset")) {
                return;
            }
            long top = data.get("offset").asLong();
            if (offset[id] < 0 || !data.has("recovered")) {
                offset[id] = top;
                String name = data.path("epoch").asText();
                int index = EPOCHS.indexOf(name);
                if (index < 0) {
                    EPOCHS.add(name);
                    index = EPOCHS.size() - 1;
                }
                epoch[id] = index;
            }
            recovered[id] = data.path("recovered").asBoolean(false);
        }

        void message(int id, long publicationOffset) {
            if (publicationOffset >= 0 && publicationOffset != since[id] + received[id] + 1) {
                duplicates++;
            }
            if (++received[id] == publications) {
                doneAt[id] = System.nanoTime();
                done++;
            }
        }

        Result result(long start) {
            Histogram times = new Histogram(TimeUnit.SECONDS.toMicros(300), 3);
            long delivered = 0;
            long last = start;
            int complete = 0;
            long recoveredCount = 0;
            for (int id = 0; id < received.length; id++) {
                delivered += received[id];
                if (recovered[id]) {
                    recoveredCount++;
                }
                if (doneAt[id] != 0) {
                    complete++;
                    last = Math.max(last, doneAt[id]);
                    times.recordValue(Math.max(0, (doneAt[id] - start) / 1000));
                }
            }
            return new Result(delivered, recoveredCount, complete, complete == received.length
                    ? Math.round((last - start) / 1e4) / 100.0 : -1, duplicates, retries, times);
        }
    }

    private record Result(long delivered, long recovered, int complete, double elapsedMs, long duplicates,
            long retries, Histogram times) {
        Double millis(double percentile) {
            return times.getTotalCount() == 0 ? null
                    : Math.round(times.getValueAtPercentile(percentile) / 10.0) / 100.0;
        }
    }

    /** Reads Squall's frames as JSON (a few thousand a second at most here): replies, publications, errors. */
    private static final class Decoder implements FrameDecoder {
        private final State state;
        private final Counters counters;

        Decoder(State state, Counters counters) {
            this.state = state;
            this.counters = counters;
        }

        @Override
        public void decode(ByteBuf frame, WsConnection connection) {
            JsonNode message;
            try {
                message = JSON.readTree((java.io.InputStream) new ByteBufInputStream(frame.duplicate())).path("message");
            } catch (IOException e) {
                counters.failed(connection, "unreadable frame: " + e.getMessage());
                return;
            }
            switch (message.path("type").asText()) {
                case "response" -> {
                    state.answered(connection.id(), message.get("data"));
                    counters.acked(connection);
                }
                case "message" -> state.message(connection.id(), message.path("offset").asLong(-1));
                case "error" -> {
                    if (state.retry != null && "Unavailable".equals(message.path("message").asText())) {
                        state.retries++;
                        state.retry.accept(connection);
                    } else {
                        counters.failed(connection, message.toString());
                    }
                }
                default -> counters.failed(connection, message.toString());
            }
        }
    }
}
