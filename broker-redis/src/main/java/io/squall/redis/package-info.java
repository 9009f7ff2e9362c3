/**
 * The Redis engine: Squall nodes share channels, history and presence through Redis, the way centrifuge's Redis
 * engine does.
 *
 * <p><b>Wiring.</b> Build a {@link io.squall.redis.RedisConfig} ({@code RedisConfig.standalone(uri, nodeId)} or
 * {@code RedisConfig.of(mode, uris, nodeId)} plus its {@code with...} methods), then
 * {@code RedisEngine.start(config, loop, meters, loadSupplier)}; hand {@code engine.broker()} and
 * {@code engine.presence()} to the services instead of the memory ones, report {@code engine.available()} and
 * {@code engine.nodes().live()} in health, and {@code engine.close()} on shutdown. Starting never waits for
 * Redis.
 *
 * <p><b>Modes.</b> {@code STANDALONE}: one Redis (or {@code redis-sentinel://} master). {@code CLUSTER}: Redis
 * Cluster ≥ 7.0; every key and channel of a Squall channel carries the partition tag {@code {T}}, fan-out uses
 * sharded pub/sub (SPUBLISH/SSUBSCRIBE) with one pub/sub connection per partition in use, re-homed when the server
 * unsubscribes it (slot moved). {@code SHARDED}: independent Redis instances; a channel lives on the one chosen by
 * jump hash of its canonical text, so the address list (and {@code partitions}) must be the same, in the same
 * order, on every node; changing either renames keys (history starts a new epoch).
 *
 * <p><b>Keys</b> ({@code P} = prefix, {@code <ch>} = {@code JsonKey.canonicalText()}): {@code P.stream.{T}.<ch>}
 * (STREAM, id = offset, field {@code d}), {@code P.meta.{T}.<ch>} (HASH {@code e} epoch, {@code s} top offset),
 * {@code P.result.{T}.<ch>.<key>} (idempotent publish result), {@code P.presence.expire|data.{T}.<ch>} (presence
 * ZSET + HASH), pub/sub {@code P.ch.{T}.<ch>}, {@code P.probe.{T}.<node>} and {@code P.control} (heartbeats).
 *
 * <p><b>Failures.</b> Calls fail at once with {@code BrokerUnavailableException} while a Redis is not connected,
 * and after the command timeout (default 2 s) when it does not answer (in a cluster, a failed master is only
 * noticed by the timeout). Pub/sub connections are rebuilt by the engine after a loss, a moved slot or a failed
 * self-probe; every rebuild resubscribes all channels and then calls {@code BrokerEvents.onDeliveryInterrupted()}.
 *
 * <p><b>Metrics</b> ({@code broker.redis.*}): {@code connected}, {@code nodes.live}, {@code publish.latency},
 * {@code pubsub.lag}, {@code pubsub.dropped}, {@code pubsub.reconnects}, {@code pubsub.probes},
 * {@code pubsub.stale.rebuilds}.
 */
package io.squall.redis;
