package io.squall.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.squall.core.broker.Engine;
import io.squall.core.loop.EventLoop;
import io.squall.redis.NodeLoad;
import io.squall.redis.RedisEngine;
import io.squall.server.config.EngineConfig;
import io.squall.server.config.ServerConfig;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the configured engine: the embedded memory engine, or the Redis engine shared by every node. */
final class Engines {
    private static final Logger log = LoggerFactory.getLogger(Engines.class);

    private Engines() {}

    static Engine start(ServerConfig config, EventLoop loop, MeterRegistry meters, Supplier<NodeLoad> load) {
        EngineConfig engine = config.engine();
        if (engine.redis().isEmpty()) {
            return Engine.memory(loop, engine.historySettings(), engine.presenceTtl());
        }
        var redis = engine.redis().get();
        log.info("engine: Redis ({}, {}), node {}; not ready until Redis answers", redis.mode(),
                redis.addresses().stream().map(address -> address.replaceAll("//[^@/]*@", "//***@")).toList(),
                redis.nodeId());
        return RedisEngine.start(redis, loop, meters, load);
    }
}
