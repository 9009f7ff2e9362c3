package io.squall.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.bench.net.WsConnector;
import io.squall.bench.proto.Endpoints;
import io.squall.bench.proto.SquallProtocol;
import io.squall.bench.stats.ServerProbe;
import io.squall.redis.testing.RedisServer;
import io.squall.server.BrokerServer;
import io.squall.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few seconds of the real harness against an in-process Squall on free loopback ports, so the harness keeps
 * working: a tiny fan-out and ingest, each producing result rows whose loss check holds, the history and regression
 * scenarios' rows, and a tiny recovery after a node restart on two in-process nodes sharing a real Redis. Figures
 * are not judged.
 */
class HarnessSmokeIT {
    private static final String KEY = "bench-smoke-key-0123456789";

    @TempDir
    Path dir;

    private BrokerServer server;
    private WsConnector connector;

    @BeforeEach
    void start() {
        server = BrokerServer.start(ConfigLoader.load(new String[] {"--public.host=127.0.0.1", "--public.port=0",
                "--private.host=127.0.0.1", "--private.port=0", "--backend.key=" + KEY, "--shutdown.timeout=3s",
                "--pubsub.channels=bench:* size=100 ttl=10m"},
                Map.of()));
        connector = new WsConnector(List.of("127.0.0.1"));
    }

    @AfterEach
    void stop() {
        connector.close();
        server.close();
    }

    private RunContext context(ResultSink sink) {
        return context(sink, server, server);
    }

    /** Subscribers on {@code subscribers}' public port, the publisher on {@code publisher}'s backend. */
    private RunContext context(ResultSink sink, BrokerServer subscribers, BrokerServer publisher) {
        Endpoints endpoints = new Endpoints(URI.create("ws://127.0.0.1:" + subscribers.publicPort() + "/ws"),
                URI.create("ws://127.0.0.1:" + publisher.privatePort() + "/backend/ws"),
                Optional.of(URI.create("http://127.0.0.1:" + publisher.privatePort() + "/backend")), Optional.of(KEY));
        ServerProbe probe = new ServerProbe(ProcessHandle.current().pid(), Optional.empty(), Optional.empty());
        return new RunContext(new SquallProtocol(), endpoints, connector, probe, sink, Duration.ofSeconds(1),
                Duration.ofSeconds(20), Duration.ofMillis(300));
    }

    @Test
    void tiny_fan_out_delivers_every_publication_to_every_subscriber() throws Exception {
        Path results = dir.resolve("results.jsonl");
        ResultSink sink = new ResultSink(results);

        FanOut.run(context(sink), 20, 100, List.of(1000.0, 2000.0));

        assertThat(sink.rows()).isNotEmpty().allSatisfy(row -> {
            assertThat(row.broker()).isEqualTo("squall");
            assertThat(row.connections()).isEqualTo(20);
            assertThat(row.published()).isPositive();
            assertThat(row.delivered()).isEqualTo(row.published() * 20);
            assertThat(row.lost()).isZero();
            assertThat(row.errors()).isZero();
            assertThat(row.rate()).isPositive();
            assertThat(row.p99()).isNotNull();
            assertThat(row.serverRssMb()).isPositive();
        });
        assertThat(ResultSink.read(results)).isEqualTo(sink.rows());
        assertThat(Files.readAllLines(results)).hasSize(sink.rows().size());
    }

    @Test
    void tiny_ingest_counts_every_publication_the_backend_accepts() {
        ResultSink sink = new ResultSink(null);
        RunContext context = context(sink);

        Ingest.run(context, 100, 10, 2);
        HttpIngest.run(context, 100, 10, 1);

        assertThat(sink.rows()).hasSize(2).allSatisfy(row -> {
            assertThat(row.scenario()).isEqualTo("ingest");
            assertThat(row.delivered()).isPositive().isEqualTo(row.published());
            assertThat(row.errors()).isZero();
            assertThat(row.rate()).isPositive();
        });
        assertThat(sink.rows()).extracting(ResultRow::transport).containsExactly("websocket", "http");
    }

    @Test
    void history_and_regression_rows_carry_their_system_variant_and_round() {
        ResultSink sink = new ResultSink(null, "squall-memory", "history on", 2);
        RunContext context = context(sink);

        Ingest.run(context, "history", "bench:ingest", 100, 10, 2);
        FanOut.run(context, "regression", 10, 100, List.of(1000.0));

        assertThat(sink.rows()).extracting(ResultRow::scenario).containsExactly("history", "regression");
        assertThat(sink.rows()).allSatisfy(row -> {
            assertThat(row.broker()).isEqualTo("squall-memory");
            assertThat(row.variant()).isEqualTo("history on");
            assertThat(row.round()).isEqualTo(2);
            assertThat(row.delivered()).isPositive();
            assertThat(row.lost()).isZero();
            assertThat(row.errors()).isZero();
        });
    }

    @Test
    void clients_recover_what_they_missed_after_their_node_restarts() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            String[] flags = {"--public.host=127.0.0.1", "--private.host=127.0.0.1", "--backend.key=" + KEY,
                "--shutdown.timeout=3s", "--engine=redis", "--redis.address=" + redis.uri(),
                "--pubsub.channels=bench:* size=100 ttl=10m"};
            AtomicReference<BrokerServer> a = new AtomicReference<>(node(flags, 0, 0));
            int publicPort = a.get().publicPort();
            int privatePort = a.get().privatePort();
            BrokerServer b = node(flags, 0, 0);
            try {
                ResultSink sink = new ResultSink(null, "squall-redis", null, null);
                Recovery.NodeControl control = new Recovery.NodeControl() {
                    @Override
                    public void stop() {
                        a.get().close();
                    }

                    @Override
                    public void start() {
                        a.set(node(flags, publicPort, privatePort));
                    }
                };

                Recovery.run(context(sink, a.get(), b), 20, 4, 10, 100, "bench:r", control);

                assertThat(sink.rows()).singleElement().satisfies(row -> {
                    assertThat(row.scenario()).isEqualTo("recovery");
                    assertThat(row.published()).isEqualTo(40);
                    assertThat(row.expected()).isEqualTo(200);
                    assertThat(row.delivered()).isEqualTo(200);
                    assertThat(row.recovered()).isEqualTo(20);
                    assertThat(row.elapsedMs()).isPositive();
                    assertThat(row.errors()).isZero();
                });
            } finally {
                b.close();
                a.get().close();
            }
        }
    }

    private static BrokerServer node(String[] flags, int publicPort, int privatePort) {
        List<String> args = new java.util.ArrayList<>(List.of(flags));
        args.add("--public.port=" + publicPort);
        args.add("--private.port=" + privatePort);
        BrokerServer node = BrokerServer.start(ConfigLoader.load(args.toArray(String[]::new), Map.of()));
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.privatePort()
                + "/health/ready")).timeout(Duration.ofSeconds(5)).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            boolean up = Steps.waitFor(() -> {
                try {
                    return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(30));
            assertThat(up).as("node ready").isTrue();
        }
        return node;
    }
}
