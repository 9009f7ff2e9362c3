package io.squall.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.bench.net.WsConnector;
import io.squall.bench.proto.Endpoints;
import io.squall.bench.proto.SquallProtocol;
import io.squall.bench.stats.ServerProbe;
import io.squall.server.BrokerServer;
import io.squall.server.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few seconds of the real harness against an in-process Squall on free loopback ports, so the harness keeps
 * working: a tiny fan-out and ingest, each producing result rows whose loss check holds. Figures are not judged.
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
                "--private.host=127.0.0.1", "--private.port=0", "--backend.key=" + KEY, "--shutdown.timeout=3s"},
                Map.of()));
        connector = new WsConnector(List.of("127.0.0.1"));
    }

    @AfterEach
    void stop() {
        connector.close();
        server.close();
    }

    private RunContext context(ResultSink sink) {
        Endpoints endpoints = new Endpoints(URI.create("ws://127.0.0.1:" + server.publicPort() + "/ws"),
                URI.create("ws://127.0.0.1:" + server.privatePort() + "/backend/ws"),
                Optional.of(URI.create("http://127.0.0.1:" + server.privatePort() + "/backend")), Optional.of(KEY));
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
}
