package io.squall.core;

import io.squall.core.loop.EventLoop;
import io.squall.core.metrics.BrokerMetrics;
import io.squall.core.protocol.ProtocolCodec;
import java.time.InstantSource;

/** The collaborators every service gets through its constructor: no statics, no globals. */
public record ServiceContext(EventLoop loop, ProtocolCodec codec, BrokerMetrics metrics, InstantSource clock) {}
