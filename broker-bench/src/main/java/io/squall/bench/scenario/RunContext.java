package io.squall.bench.scenario;

import io.squall.bench.net.Listener;
import io.squall.bench.net.WsConnection;
import io.squall.bench.net.WsConnector;
import io.squall.bench.proto.Endpoints;
import io.squall.bench.proto.Protocol;
import io.squall.bench.stats.ServerProbe;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Everything a scenario needs: the broker's protocol and addresses, the generator's connector, the probe on the
 * broker process, where results go and how long steps last.
 *
 * @param step how long each measured step publishes
 * @param drain how long a step may take after publishing to deliver what it owes (then the rest is lost)
 * @param warmup how long the unreported first step runs (JIT warm-up, connection buffers)
 */
public record RunContext(Protocol protocol, Endpoints endpoints, WsConnector connector, ServerProbe probe,
        ResultSink sink, Duration step, Duration drain, Duration warmup) {

    /** The same run with steps as long as the warm-up and results thrown away (for unreported warm-up steps). */
    RunContext forWarmup() {
        return new RunContext(protocol, endpoints, connector, probe, ResultSink.discard(), warmup, drain, warmup);
    }

    /** Opens the publisher connection and waits for its login to be confirmed. */
    WsConnection openPublisher(Counters counters) {
        WsConnection connection = open(connector, protocol, endpoints, counters);
        long before = counters.acks.get();
        int acks = protocol.openPublisher(connection);
        connection.flush();
        if (!Steps.waitFor(() -> counters.acks.get() >= before + acks, Duration.ofSeconds(30))) {
            throw new IllegalStateException("publisher login not confirmed by " + protocol.name());
        }
        return connection;
    }

    private static WsConnection open(WsConnector connector, Protocol protocol, Endpoints endpoints, Listener counters) {
        try {
            return connector.connect(protocol.publisherTarget(endpoints), protocol.decoder(counters), counters, -1)
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot open the publisher connection to " + protocol.name(), e);
        }
    }

    /** Time allowed to open {@code connections} connections on a busy machine. */
    static Duration openTimeout(int connections) {
        return Duration.ofSeconds(60 + connections / 100);
    }
}
