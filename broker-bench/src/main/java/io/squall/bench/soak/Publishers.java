package io.squall.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.squall.bench.net.FrameDecoder;
import io.squall.bench.net.Listener;
import io.squall.bench.net.WsConnection;
import io.squall.bench.net.WsConnector;
import io.squall.bench.net.WsTarget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The backends: one on the private WebSocket publishing round robin over the fan-out channels at a steady rate, one
 * POSTing batches to {@code /backend} on a channel of its own. Each channel has its own sequence numbers from 0;
 * a publication counts as published once the broker answers it {@code response}; any other answer is a refusal.
 */
final class Publishers {
    static final String PAD = "x".repeat(64);

    private Publishers() {}

    /** The text of one publication: its number, its send time and some padding. */
    static String message(long seq) {
        return "{\"seq\":" + seq + ",\"t\":" + System.nanoTime() + ",\"pad\":\"" + PAD + "\"}";
    }

    static final class Ws implements FrameDecoder, Listener {
        private final String[] channels;
        private final AtomicLongArray sent;
        final AtomicLong answered = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final Tally tally;
        private volatile WsConnection connection;
        private volatile boolean closing;
        private long next;

        Ws(String[] channels, Tally tally) {
            this.channels = channels.clone();
            this.sent = new AtomicLongArray(channels.length);
            this.tally = tally;
        }

        void open(WsConnector connector, URI uri) throws Exception {
            connection = connector.connect(new WsTarget(uri, null, Map.of("X-Backend-Key", BrokerProcess.KEY), true),
                    this, this, -1).get(30, TimeUnit.SECONDS);
        }

        /** Publishes {@code count} more, round robin, on the connection's loop. */
        void publish(int count) {
            WsConnection open = connection;
            open.loop().execute(() -> {
                for (int i = 0; i < count; i++) {
                    int c = (int) (next++ % channels.length);
                    long seq = sent.getAndIncrement(c);
                    String frame = "{\"service\":\"pubsub_backend\",\"message\":{\"command\":\"publish\",\"params\":"
                            + "{\"channel\":\"" + channels[c] + "\",\"message\":" + message(seq) + "},\"callId\":"
                            + seq + "}}";
                    open.write(Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8));
                }
                open.flush();
            });
        }

        long sent(int channel) {
            return sent.get(channel);
        }

        long sentTotal() {
            long sum = 0;
            for (int i = 0; i < channels.length; i++) {
                sum += sent.get(i);
            }
            return sum;
        }

        @Override
        public void decode(ByteBuf frame, WsConnection from) {
            answered.incrementAndGet();
            String text = frame.toString(StandardCharsets.UTF_8);
            if (!text.contains("\"type\":\"response\"")) {
                refused.incrementAndGet();
                tally.note("backend publish refused: " + text);
            }
        }

        @Override
        public void delivered(ByteBuf buf, int from, int to) {
            // decoded above
        }

        @Override
        public void acked(WsConnection from) {
            // decoded above
        }

        @Override
        public void failed(WsConnection from, String error) {
            if (!closing) {
                tally.error("backend WebSocket: " + error);
            }
        }

        @Override
        public void closed(WsConnection from) {
            if (!closing) {
                tally.unexpectedCloses.incrementAndGet();
                tally.note("the backend WebSocket was closed by the broker");
            }
        }

        void close() {
            closing = true;
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** POSTs batches of publications to {@code /backend}, one request at a time. */
    static final class Http {
        static final int BATCH = 10;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private final URI uri;
        private final String channel;
        private final Tally tally;
        final AtomicLong published = new AtomicLong();
        final AtomicLong refused = new AtomicLong();

        Http(URI uri, String channel, Tally tally) {
            this.uri = uri;
            this.channel = channel;
            this.tally = tally;
        }

        /** One batch; numbers are taken only by publications the broker answered (a failed POST is retried). */
        void postBatch() {
            long first = published.get();
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < BATCH; i++) {
                body.append(i == 0 ? "" : ",").append("{\"service\":\"pubsub_backend\",\"message\":{\"command\":")
                        .append("\"publish\",\"params\":{\"channel\":\"").append(channel).append("\",\"message\":")
                        .append(message(first + i)).append("},\"callId\":").append(i).append("}}");
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(30)).header("X-Backend-Key", BrokerProcess.KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode replies = SoakClient.JSON.readTree(response.body());
                int ok = 0;
                for (JsonNode reply : replies) {
                    ok += "response".equals(reply.path("message").path("type").asText()) ? 1 : 0;
                }
                if (response.statusCode() != 200 || ok != BATCH) {
                    refused.addAndGet(BATCH - ok);
                    tally.note("backend HTTP answered " + response.statusCode() + ": " + response.body());
                }
                published.addAndGet(BATCH);
            } catch (IOException e) {
                tally.error("backend HTTP: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            client.close();
        }
    }
}
