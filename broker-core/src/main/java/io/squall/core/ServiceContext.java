package io.squall.core;

import io.squall.core.loop.EventLoop;
import io.squall.core.metrics.BrokerMetrics;
import io.squall.core.protocol.ProtocolCodec;
import io.squall.core.state.StateBudget;
import io.squall.core.state.StateLimits;
import java.time.InstantSource;

/**
 * The collaborators every service gets through its constructor: no statics, no globals.
 *
 * @param budget the bytes of state each connection holds, shared by every service of both registries
 */
public record ServiceContext(EventLoop loop, ProtocolCodec codec, BrokerMetrics metrics, InstantSource clock,
        StateBudget budget) {

    /** A context with the default state limits. */
    public ServiceContext(EventLoop loop, ProtocolCodec codec, BrokerMetrics metrics, InstantSource clock) {
        this(loop, codec, metrics, clock, new StateBudget(StateLimits.defaults()));
    }
}
