package io.squall.core.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.squall.core.ServiceContext;
import io.squall.core.json.Json;
import io.squall.core.loop.EventLoop;
import io.squall.core.metrics.BrokerMetrics;
import io.squall.core.protocol.ProtocolCodec;
import io.squall.core.state.StateBudget;
import io.squall.core.state.StateLimits;
import java.time.Instant;
import java.time.InstantSource;

/** Builds the {@link ServiceContext} services get in tests: the real codec, in-memory meters, a fixed clock. */
public final class ServiceContexts {
    /** What {@link ServiceContext#clock()} answers unless a test passes its own clock. */
    public static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private ServiceContexts() {}

    /** A context on {@code loop}; read the meters back through {@code context.metrics().registry()}. */
    public static ServiceContext create(EventLoop loop) {
        return create(loop, InstantSource.fixed(NOW));
    }

    public static ServiceContext create(EventLoop loop, InstantSource clock) {
        return new ServiceContext(
                loop, new ProtocolCodec(Json.mapper()), new BrokerMetrics(new SimpleMeterRegistry()), clock);
    }

    /** A context whose state budget has these limits; read it back through {@code context.budget()}. */
    public static ServiceContext create(EventLoop loop, StateLimits limits) {
        return new ServiceContext(loop, new ProtocolCodec(Json.mapper()), new BrokerMetrics(new SimpleMeterRegistry()),
                InstantSource.fixed(NOW), new StateBudget(limits));
    }
}
