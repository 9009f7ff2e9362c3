package io.squall.bench.scenario;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.squall.bench.net.WsConnector;
import io.squall.bench.proto.Marker;
import io.squall.bench.proto.SquallProtocol;
import io.squall.bench.stats.ProcStats;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Squall's backend ingest over HTTP: {@code connections} keep-alive connections, each POSTing a JSON array of
 * {@code batch} publications to {@code /backend} and sending the next when the answer arrives. Accepted means
 * answered {@code "response"}; error replies and non-200 statuses are counted as errors.
 */
public final class HttpIngest {
    private static final Logger log = LoggerFactory.getLogger(HttpIngest.class);
    private static final byte[] RESPONSE = "\"type\":\"response\"".getBytes(StandardCharsets.US_ASCII);

    private HttpIngest() {}

    public static void run(RunContext context, int payload, int batch, int connections) {
        log.info("{} ingest over HTTP: {} per request, {} connections", context.protocol().name(), batch, connections);
        if (!context.warmup().isZero()) {
            measure(context.forWarmup(), payload, batch, connections);
        }
        measure(context, payload, batch, connections);
    }

    private static void measure(RunContext context, int payload, int batch, int connections) {
        URI uri = context.endpoints().backendHttp().orElseThrow();
        String key = context.endpoints().backendKey().orElseThrow();
        byte[] body = SquallProtocol.httpBatch(Ingest.CHANNEL, Marker.payload(payload, 0, 0), batch);
        WsConnector connector = context.connector();
        long start = System.nanoTime();
        long end = start + context.step().toNanos();
        Poster[] posters = new Poster[connections];
        List<Channel> channels = new ArrayList<>();
        ProcStats.Sample server = context.probe().cpu();
        ProcStats.Sample client = ProcStats.Sample.of(ProcStats.self());
        try {
            for (int i = 0; i < connections; i++) {
                Poster poster = new Poster(uri, key, body, batch, end);
                posters[i] = poster;
                Channel channel = new Bootstrap().group(connector.group()).channel(connector.channelType())
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new HttpClientCodec(),
                                        new HttpObjectAggregator(WsConnector.MAX_FRAME_BYTES), poster);
                            }
                        })
                        .connect(new InetSocketAddress(uri.getHost(), uri.getPort()),
                                new InetSocketAddress(connector.nextSource(), 0))
                        .syncUninterruptibly().channel();
                channels.add(channel);
                channel.eventLoop().execute(() -> poster.post(channel));
            }
            Steps.waitFor(() -> System.nanoTime() - end > 0, context.step().plusSeconds(5));
            Steps.waitFor(() -> {
                for (Poster poster : posters) {
                    if (poster.inFlight) {
                        return false;
                    }
                }
                return true;
            }, context.drain());
            double serverCpu = server.percentSince();
            double clientCpu = client.percentSince();
            long sent = 0;
            long accepted = 0;
            long errors = 0;
            long last = start;
            Histogram rtt = new Histogram(TimeUnit.SECONDS.toMicros(300), 3);
            for (Poster poster : posters) {
                Poster.Totals totals = Steps.await(connector.loop().submit(poster::totals));
                sent += totals.sent();
                accepted += totals.accepted();
                errors += totals.errors();
                last = Math.max(last, totals.lastNanos());
                rtt.add(totals.rtt());
            }
            ResultRow.Builder row = ResultRow.of(context.protocol().name(), "ingest");
            row.cpu(serverCpu, clientCpu);
            row.connections = connections;
            row.payload = payload;
            row.transport = "http";
            row.batch = batch;
            row.published = sent;
            row.delivered = accepted;
            row.lost = sent - accepted;
            row.rate = (double) Math.round(accepted / ((last - start) / 1e9));
            row.p50 = Math.round(rtt.getValueAtPercentile(50) / 10.0) / 100.0;
            row.p99 = Math.round(rtt.getValueAtPercentile(99) / 10.0) / 100.0;
            row.p999 = Math.round(rtt.getValueAtPercentile(99.9) / 10.0) / 100.0;
            row.serverRssMb = Steps.mib(context.probe().rssBytes());
            row.errors = errors;
            row.saturated = true;
            row.note = "latency: round trip of one request of " + batch + ", one in flight per connection";
            context.sink().add(row.build());
        } finally {
            channels.forEach(Channel::close);
        }
    }

    /** One keep-alive connection posting batches back to back; loop thread only (but inFlight). */
    private static final class Poster extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final URI uri;
        private final String key;
        private final byte[] body;
        private final int batch;
        private final long end;
        private final Histogram rtt = new Histogram(TimeUnit.SECONDS.toMicros(300), 3);
        private long sentAt;
        private long sent;
        private long accepted;
        private long errors;
        private long lastNanos;
        volatile boolean inFlight;

        Poster(URI uri, String key, byte[] body, int batch, long end) {
            this.uri = uri;
            this.key = key;
            this.body = body;
            this.batch = batch;
            this.end = end;
        }

        void post(Channel channel) {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                    uri.getRawPath(), Unpooled.wrappedBuffer(body));
            request.headers().set(HttpHeaderNames.HOST, uri.getHost() + ":" + uri.getPort())
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE)
                    .set("X-Backend-Key", key);
            inFlight = true;
            sentAt = System.nanoTime();
            sent += batch;
            channel.writeAndFlush(request);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            long now = System.nanoTime();
            lastNanos = now;
            rtt.recordValue(Math.max(0, Math.min(rtt.getHighestTrackableValue(), (now - sentAt) / 1000)));
            int ok = response.status().code() == 200 ? count(response) : 0;
            accepted += ok;
            errors += batch - ok;
            inFlight = false;
            if (now - end < 0 && ctx.channel().isActive()) {
                post(ctx.channel());
            }
        }

        private static int count(FullHttpResponse response) {
            var content = response.content();
            int found = 0;
            int to = content.writerIndex();
            for (int at = content.indexOf(content.readerIndex(), to, (byte) '"'); at >= 0 && at + RESPONSE.length <= to;
                    at = content.indexOf(at + 1, to, (byte) '"')) {
                int i = 1;
                while (i < RESPONSE.length && content.getByte(at + i) == RESPONSE[i]) {
                    i++;
                }
                if (i == RESPONSE.length) {
                    found++;
                }
            }
            return found;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (inFlight) {
                errors += batch;
                inFlight = false;
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("  backend HTTP connection failed: {}", cause.toString());
            ctx.close();
        }

        Totals totals() {
            return new Totals(sent, accepted, errors, lastNanos, rtt.copy());
        }

        record Totals(long sent, long accepted, long errors, long lastNanos, Histogram rtt) {}
    }
}
